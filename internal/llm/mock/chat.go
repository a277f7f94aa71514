package mock

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ajans/ajans/internal/tokens"
)

// Hook prefixes of the last user message.
const (
	hookStatus = "mock:status "
	hookSleep  = "mock:sleep "
)

// chatCompletion answers POST /v1/chat/completions.
func (s *Server) chatCompletion(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json",
			"The request body is not valid chat-completions JSON: "+err.Error())
		return
	}
	if req.Stream {
		// TODO(ajans): stream the echo as server-sent events once a provider
		// adapter streams; until then nothing sends stream: true.
		writeError(w, http.StatusBadRequest, "stream_unsupported",
			"The mock model does not stream yet; send stream: false.")
		return
	}
	prompt := lastUser(req.Messages)

	// Wait, unless the caller or the server gives up first.
	ctx := r.Context()
	if !sleep(ctx, s.delay) {
		writeError(w, http.StatusServiceUnavailable, "cancelled", "The request was cancelled.")
		return
	}
	if status, ok := statusHook(prompt); ok {
		writeError(w, status, "mock_status", "The mock model was asked to fail with "+
			strconv.Itoa(status)+".")
		return
	}
	if d, ok := sleepHook(prompt); ok && !sleep(ctx, d) {
		writeError(w, http.StatusServiceUnavailable, "cancelled", "The request was cancelled.")
		return
	}

	writeJSON(w, http.StatusOK, s.answer(req))
}

// answer builds the echo of the last user message of req. Each message is
// counted once; the echo reuses its message's count unless it is cut.
func (s *Server) answer(req chatRequest) chatResponse {
	promptTokens, last, lastTokens := 0, -1, 0
	for i, m := range req.Messages {
		n := tokens.Count(string(m.Content))
		promptTokens += n
		if m.Role == "user" {
			last, lastTokens = i, n
		}
	}

	reply, replyTokens, finish := "", 0, "stop"
	if last >= 0 {
		reply, replyTokens = string(req.Messages[last].Content), lastTokens
	}
	if limit := outputCap(req); limit > 0 && replyTokens > limit {
		reply, finish = tokens.Truncate(reply, limit), "length"
		replyTokens = tokens.Count(reply)
	}

	return chatResponse{
		ID:      "chatcmpl-mock-" + strconv.FormatUint(s.seq.Add(1), 10),
		Object:  "chat.completion",
		Created: s.now().Unix(),
		Model:   req.Model,
		Choices: []chatChoice{{
			Message:      wireMessage{Role: "assistant", Content: reply},
			FinishReason: finish,
		}},
		Usage: usage{
			PromptTokens:     promptTokens,
			CompletionTokens: replyTokens,
			TotalTokens:      promptTokens + replyTokens,
		},
	}
}

// outputCap returns the smaller of max_tokens and max_completion_tokens
// that is set, or 0 when neither is.
func outputCap(req chatRequest) int {
	a, b := req.MaxTokens, req.MaxCompletionTokens
	switch {
	case a <= 0:
		return max(b, 0)
	case b <= 0:
		return a
	default:
		return min(a, b)
	}
}

// lastUser returns the content of the last message with role "user".
func lastUser(msgs []chatMessage) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "user" {
			return string(msgs[i].Content)
		}
	}
	return ""
}

// statusHook reads "mock:status NNN" at the start of prompt; NNN is an
// error status, 400 to 599.
func statusHook(prompt string) (int, bool) {
	arg, ok := hookArg(prompt, hookStatus)
	if !ok {
		return 0, false
	}
	status, err := strconv.Atoi(arg)
	if err != nil || status < 400 || status > 599 {
		return 0, false
	}
	return status, true
}

// sleepHook reads "mock:sleep DURATION" at the start of prompt.
func sleepHook(prompt string) (time.Duration, bool) {
	arg, ok := hookArg(prompt, hookSleep)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(arg)
	if err != nil || d < 0 {
		return 0, false
	}
	return d, true
}

// hookArg returns the first word after prefix when prompt starts with it.
func hookArg(prompt, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(prompt, prefix)
	if !ok {
		return "", false
	}
	if fields := strings.Fields(rest); len(fields) > 0 {
		return fields[0], true
	}
	return "", false
}
