package mock

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
)

// ImageSize is the width and height of the mock's images, in pixels.
const ImageSize = 64

// imageRequest is the part of an images/generations request the mock reads.
type imageRequest struct {
	Model  string `json:"model"`
	Prompt string `json:"prompt"`
	N      int    `json:"n"`
}

// imageResponse is an images/generations answer.
type imageResponse struct {
	Created int64       `json:"created"`
	Data    []imageData `json:"data"`
}

type imageData struct {
	B64JSON string `json:"b64_json"`
}

// imageGeneration answers POST /v1/images/generations with one PNG per
// image asked for (at most 4), drawn from the prompt alone: the same
// prompt always gives the same picture. The status hooks of chats apply.
func (s *Server) imageGeneration(w http.ResponseWriter, r *http.Request) {
	var req imageRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json",
			"The request body is not valid images JSON: "+err.Error())
		return
	}
	if req.Prompt == "" {
		writeError(w, http.StatusBadRequest, "missing_prompt", "The prompt is empty.")
		return
	}
	if !sleep(r.Context(), s.delay) {
		writeError(w, http.StatusServiceUnavailable, "cancelled", "The request was cancelled.")
		return
	}
	if status, ok := statusHook(req.Prompt); ok {
		writeError(w, status, "mock_status", "The mock model was asked to fail with "+
			strconv.Itoa(status)+".")
		return
	}
	out := imageResponse{Created: s.now().Unix()}
	for range min(max(req.N, 1), 4) {
		out.Data = append(out.Data, imageData{B64JSON: base64.StdEncoding.EncodeToString(
			Picture(req.Prompt))})
	}
	writeJSON(w, http.StatusOK, out)
}

// Picture returns the PNG the mock draws for prompt: a square of
// ImageSize pixels in two colours taken from the prompt's SHA-256, split
// by a diagonal.
func Picture(prompt string) []byte {
	sum := sha256.Sum256([]byte(prompt))
	a := color.RGBA{sum[0], sum[1], sum[2], 255}
	b := color.RGBA{sum[3], sum[4], sum[5], 255}
	img := image.NewRGBA(image.Rect(0, 0, ImageSize, ImageSize))
	for y := range ImageSize {
		for x := range ImageSize {
			if x+y < ImageSize {
				img.SetRGBA(x, y, a)
			} else {
				img.SetRGBA(x, y, b)
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img) // writing to memory cannot fail
	return buf.Bytes()
}
