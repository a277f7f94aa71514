package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"sync/atomic"

	"github.com/ajans/ajans/internal/catalog"
)

// Every chat of the bench is with this assistant, as in the spec's examples.
const assistantID = 16

// historyCap is how many earlier messages ajans sends the model at most
// (chat.Config.HistoryMessages, whose default it runs with).
const historyCap = 50

// maxTokens is the output cap ajans sends for a short message: the
// billing rules' MaxOutputTokens, as a hold that pays for it allows.
const maxTokens = 4096

// workload makes the requests of one target: number i of sendMessage, or
// of newChat, in the target's own form.
type workload interface {
	// prepare starts the chats the sendMessage requests go to.
	prepare(l *loader) error
	send() *http.Request
	open() *http.Request
}

// ajansLoad drives ajans: sendMessage as multipart (the spec's curl
// example), round robin over the chats; newChat round robin over the apps.
type ajansLoad struct {
	base    string
	tokens  []string
	message string
	chats   int // how many to start in prepare

	ctype    string
	sendURL  []string // per chat
	sendBody [][]byte // per chat
	openBody []byte
	sendN    atomic.Int64
	openN    atomic.Int64
}

func newAjansLoad(base string, tokens []string, chats int, message string) *ajansLoad {
	w := &ajansLoad{base: base, tokens: tokens, message: message, chats: chats}
	var ctype string
	w.openBody, ctype = multipartBody(map[string]string{"message": message})
	w.ctype = ctype
	return w
}

// multipartBody encodes fields as multipart/form-data with a fixed
// boundary, so that every body of a run has the same content type.
func multipartBody(fields map[string]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("ajans-bench-boundary-7d3f1c")
	for _, k := range []string{"chat_id", "message"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// prepare starts w.chats chats with newChat, app by app in turn.
func (w *ajansLoad) prepare(l *loader) error {
	w.sendURL = make([]string, w.chats)
	w.sendBody = make([][]byte, w.chats)
	return closedLoop(w.chats, 8, func(i int) error {
		token := w.tokens[i%len(w.tokens)]
		req := post(w.base+fmt.Sprintf("/api/v2/newChat/%d/%s", assistantID, token),
			w.ctype, w.openBody)
		var body []byte
		if err := expect("newChat", l.do(req, &body), body); err != nil {
			return err
		}
		var reply struct {
			ChatID int64 `json:"chat_id"`
		}
		if err := json.Unmarshal(body, &reply); err != nil || reply.ChatID == 0 {
			return fmt.Errorf("newChat: no chat_id in %.200s", body)
		}
		w.sendURL[i] = w.base + "/api/v2/sendMessage/" + token
		w.sendBody[i], _ = multipartBody(map[string]string{
			"chat_id": fmt.Sprint(reply.ChatID), "message": w.message})
		return nil
	})
}

func (w *ajansLoad) send() *http.Request {
	i := int(w.sendN.Add(1)-1) % len(w.sendURL)
	return post(w.sendURL[i], w.ctype, w.sendBody[i])
}

func (w *ajansLoad) open() *http.Request {
	i := int(w.openN.Add(1)-1) % len(w.tokens)
	url := w.base + fmt.Sprintf("/api/v2/newChat/%d/%s", assistantID, w.tokens[i])
	return post(url, w.ctype, w.openBody)
}

// floorLoad drives the floor with the chat-completions requests ajans
// would send for the same sendMessage and newChat calls: the assistant's
// system prompt, the chat's earlier messages, the new message. Request i
// goes to chat i mod chats, which then has 2(1+i/chats) earlier messages
// (its newChat turn and one turn per earlier send), at most historyCap.
type floorLoad struct {
	url    string
	chats  int
	bodies [][]byte // by the number of earlier turns
	sendN  atomic.Int64
}

func newFloorLoad(base string, chats int, message string) (*floorLoad, error) {
	asst, err := assistant(assistantID)
	if err != nil {
		return nil, err
	}
	w := &floorLoad{url: base + "/v1/chat/completions", chats: chats}
	for turns := 0; turns <= historyCap/2; turns++ {
		w.bodies = append(w.bodies, completionBody(asst, message, turns))
	}
	return w, nil
}

// assistant returns the default team's assistant with the given id.
func assistant(id int64) (string, error) {
	as, err := catalog.Load("")
	if err != nil {
		return "", err
	}
	a, ok := catalog.NewTeam(as).Get(id)
	if !ok {
		return "", fmt.Errorf("the default team has no assistant %d", id)
	}
	return a.SystemPrompt, nil
}

// completionBody is a chat-completions request with turns earlier turns,
// each the message and the mock's echo of it.
func completionBody(system, message string, turns int) []byte {
	type msg struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	msgs := []msg{{"system", system}}
	for range turns {
		msgs = append(msgs, msg{"user", message}, msg{"assistant", message})
	}
	msgs = append(msgs, msg{"user", message})
	b, _ := json.Marshal(map[string]any{"model": "mock", "messages": msgs, "max_tokens": maxTokens})
	return b
}

// prepare sends the newChat equivalent once per chat, as ajansLoad does.
func (w *floorLoad) prepare(l *loader) error {
	return closedLoop(w.chats, 8, func(int) error {
		var body []byte
		return expect("floor", l.do(w.open(), &body), body)
	})
}

func (w *floorLoad) send() *http.Request {
	i := int(w.sendN.Add(1) - 1)
	turns := min(1+i/w.chats, historyCap/2)
	return post(w.url, "application/json", w.bodies[turns])
}

func (w *floorLoad) open() *http.Request {
	return post(w.url, "application/json", w.bodies[0])
}

// post returns a POST request of body.
func post(url, contentType string, body []byte) *http.Request {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url,
		bytes.NewReader(body))
	if err != nil {
		panic(err) // the URLs are the bench's own
	}
	req.Header.Set("Content-Type", contentType)
	return req
}
