package openai_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/llm"
	"github.com/ajans/ajans/internal/llm/mock"
	"github.com/ajans/ajans/internal/llm/openai"
)

func TestUserImagesAreSentAsDataURLs(t *testing.T) {
	up := MustUpstream(t, nil)
	p := openai.New(openai.Config{BaseURL: up.URL})
	pic := mock.Picture("kedi")
	req := llm.Request{Model: "mock", Messages: []llm.Message{{Role: llm.RoleUser,
		Content: "Bu resimde ne var?", Images: []llm.Image{{MIME: "image/png", Data: pic}}}}}
	res, err := p.Complete(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Content != "Bu resimde ne var?" {
		t.Errorf("echo %q", res.Content)
	}
	msgs := up.lastBody()["messages"].([]any)
	parts, ok := msgs[0].(map[string]any)["content"].([]any)
	if !ok || len(parts) != 2 {
		t.Fatalf("content sent: %v", msgs[0])
	}
	url := parts[1].(map[string]any)["image_url"].(map[string]any)["url"].(string)
	want := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pic)
	if url != want {
		t.Errorf("image url %.60s…, want %.60s…", url, want)
	}
}

func TestGenerateImage(t *testing.T) {
	up := MustUpstream(t, nil)
	p := openai.New(openai.Config{BaseURL: up.URL, MaxRetries: -1})
	img, err := p.GenerateImage(t.Context(), llm.ImageRequest{Model: "mock",
		Prompt: "Boğaz'da gün batımı"})
	if err != nil {
		t.Fatal(err)
	}
	if img.MIME != "image/png" || !bytes.Equal(img.Data, mock.Picture("Boğaz'da gün batımı")) {
		t.Fatalf("image %s of %d bytes", img.MIME, len(img.Data))
	}
	if _, err := png.Decode(bytes.NewReader(img.Data)); err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if body := up.lastBody(); body["prompt"] != "Boğaz'da gün batımı" || body["model"] != "mock" ||
		body["response_format"] != nil {
		t.Errorf("body sent %v", body)
	}

	_, err = p.GenerateImage(t.Context(), llm.ImageRequest{Model: "mock", Prompt: "mock:status 500"})
	wantCode(t, err, ajans.EUPSTREAM)
}

func TestGenerateImageByURL(t *testing.T) {
	pic := mock.Picture("url")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/images/generations") {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"created":1,"data":[{"url":"` + srv.URL + `/img.png"}]}`))
			return
		}
		w.Write(pic)
	}))
	defer srv.Close()
	p := openai.New(openai.Config{BaseURL: srv.URL + "/v1", MaxRetries: -1})
	img, err := p.GenerateImage(t.Context(), llm.ImageRequest{Model: "dall-e-3", Prompt: "x"})
	if err != nil || !bytes.Equal(img.Data, pic) {
		t.Fatalf("GenerateImage = %v, %v", img, err)
	}
}
