package mock_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/ajans/ajans/internal/llm/mock"
)

func TestImageGeneration(t *testing.T) {
	base := MustServe(t, mock.Options{})
	post := func(body string) (*http.Response, map[string]any) {
		res, err := http.Post(base+"/v1/images/generations", "application/json",
			strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		return res, out
	}

	res, out := post(`{"model":"mock","prompt":"Kapadokya'da balonlar","n":2}`)
	data, _ := out["data"].([]any)
	if res.StatusCode != 200 || len(data) != 2 {
		t.Fatalf("status %d, %v", res.StatusCode, out)
	}
	b64 := data[0].(map[string]any)["b64_json"].(string)
	pic, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pic))
	if err != nil || img.Bounds().Dx() != mock.ImageSize {
		t.Fatalf("not a %d-pixel PNG: %v", mock.ImageSize, err)
	}
	if !bytes.Equal(pic, mock.Picture("Kapadokya'da balonlar")) ||
		bytes.Equal(pic, mock.Picture("başka")) {
		t.Fatal("the picture does not follow from the prompt alone")
	}

	tests := []struct {
		name, body string
		status     int
	}{
		{"status hook", `{"prompt":"mock:status 503"}`, 503},
		{"no prompt", `{"model":"mock"}`, 400},
		{"not JSON", `{`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res, _ := post(tt.body); res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
		})
	}
	if res, _ := http.Get(base + "/v1/images/generations"); res.StatusCode != 405 {
		t.Fatalf("GET: %d", res.StatusCode)
	}
}
