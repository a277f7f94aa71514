// Package client calls an AIGENCY API v2 server, such as ajans, from Go.
//
//	c := client.New("http://127.0.0.1:8080/api/v2", token)
//	reply, err := c.NewChat(ctx, 16, "Merhaba!")
//
// Errors from the server are *Error, with the status, the code and the
// message the server sent.
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client calls one app's API. It is safe for concurrent use.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a client for the API at baseURL (ending in /api/v2) speaking
// for the app whose token is token. httpClient may be nil.
func New(baseURL, token string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), token: token, http: httpClient}
}

// Error is an error answer of the API.
type Error struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // set with status 429
}

// Error returns the status, code and message.
func (e *Error) Error() string {
	return fmt.Sprintf("api: %d %s: %s", e.Status, e.Code, e.Message)
}

// Credit is an app's balance.
type Credit struct {
	Credit    int64 `json:"credit"`
	LowCredit bool  `json:"low_credit"`
	NoCredit  bool  `json:"no_credit"`
}

// Assistant is a member of the AI team. Name and Description are keyed
// name_tr, name_en… and description_tr, description_en….
type Assistant struct {
	ID           int64             `json:"id"`
	Name         map[string]string `json:"name"`
	Description  map[string]string `json:"description"`
	Capabilities []string          `json:"capabilities"`
}

// Usage is what a metered call consumed.
type Usage struct {
	MessageTokens  int   `json:"message_tokens"`
	ResponseTokens int   `json:"response_tokens"`
	Credits        int64 `json:"credits"`
}

// File is a document the assistant made.
type File struct {
	FileName string `json:"file_name"`
	URL      string `json:"url"`
	MIME     string `json:"mime"`
	Size     int64  `json:"size"`
}

// Reply is the answer to NewChat and SendMessage.
type Reply struct {
	ChatID          int64    `json:"chat_id"`
	Message         string   `json:"message"`
	RemainingCredit int64    `json:"remaining_credit"`
	IsImage         bool     `json:"is_image"`
	Images          []string `json:"images"`
	IsDocument      bool     `json:"is_document"`
	Files           []File   `json:"files"`
	Usage           Usage    `json:"usage"`
}

// Message is one turn of a chat's history.
type Message struct {
	ID        int64     `json:"id"`
	Role      string    `json:"role"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
}

// History is a chat's messages, oldest first, or one page of them.
type History struct {
	ChatID     int64     `json:"chat_id"`
	AIID       int64     `json:"ai_id"`
	Title      string    `json:"title"`
	Messages   []Message `json:"messages"`
	HasMore    bool      `json:"has_more"`
	NextBefore int64     `json:"next_before"`
}

// ChatSummary is one chat in a list.
type ChatSummary struct {
	ChatID       int64     `json:"chat_id"`
	AIID         int64     `json:"ai_id"`
	Title        string    `json:"title"`
	MessageCount int       `json:"message_count"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Attachment is a file sent with a message; Body is streamed, not read
// into memory first.
type Attachment struct {
	Name string
	Body io.Reader
}

// Credit returns the app's balance.
func (c *Client) Credit(ctx context.Context) (*Credit, error) {
	var out Credit
	return &out, c.do(ctx, http.MethodGet, "/credit/"+c.token, nil, "", &out)
}

// Team returns the AI team.
func (c *Client) Team(ctx context.Context) ([]Assistant, error) {
	var out []Assistant
	return out, c.do(ctx, http.MethodGet, "/ai-team-list/"+c.token, nil, "", &out)
}

// NewChat starts a chat with the assistant aiID and returns its reply.
func (c *Client) NewChat(ctx context.Context, aiID int64, message string,
	files ...Attachment) (*Reply, error) {
	path := fmt.Sprintf("/newChat/%d/%s", aiID, c.token)
	return c.send(ctx, path, map[string]string{"message": message}, files)
}

// SendMessage sends a message to an existing chat and returns the reply.
func (c *Client) SendMessage(ctx context.Context, chatID int64, message string,
	files ...Attachment) (*Reply, error) {
	fields := map[string]string{"chat_id": strconv.FormatInt(chatID, 10), "message": message}
	return c.send(ctx, "/sendMessage/"+c.token, fields, files)
}

// Page asks ResumeChat for one page of a long history: the Limit newest
// messages older than the message Before (0: the newest).
type Page struct {
	Limit  int
	Before int64
}

// ResumeChat returns a chat's history: all of it, or the page asked for.
func (c *Client) ResumeChat(ctx context.Context, chatID int64, page *Page) (*History, error) {
	path := fmt.Sprintf("/resumeChat/%d/%s", chatID, c.token)
	if page != nil {
		q := url.Values{"limit": {strconv.Itoa(page.Limit)}}
		if page.Before > 0 {
			q.Set("before", strconv.FormatInt(page.Before, 10))
		}
		path += "?" + q.Encode()
	}
	var out History
	return &out, c.do(ctx, http.MethodPost, path, nil, "", &out)
}

// ViewChats returns the app's chats with the assistant aiID, newest first.
func (c *Client) ViewChats(ctx context.Context, aiID int64) ([]ChatSummary, error) {
	var out []ChatSummary
	path := fmt.Sprintf("/view-chats/%d/%s", aiID, c.token)
	return out, c.do(ctx, http.MethodGet, path, nil, "", &out)
}

// DeleteChat deletes a chat with its messages and files.
func (c *Client) DeleteChat(ctx context.Context, chatID int64) error {
	path := fmt.Sprintf("/deleteChat/%d/%s", chatID, c.token)
	return c.do(ctx, http.MethodDelete, path, nil, "", nil)
}

// send posts fields and files as multipart, streaming the files.
func (c *Client) send(ctx context.Context, path string, fields map[string]string,
	files []Attachment) (*Reply, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeMultipart(mw, fields, files))
	}()
	var out Reply
	err := c.do(ctx, http.MethodPost, path, pr, mw.FormDataContentType(), &out)
	pr.Close()
	return &out, err
}

func writeMultipart(mw *multipart.Writer, fields map[string]string, files []Attachment) error {
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			return err
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("attachements", f.Name)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, f.Body); err != nil {
			return err
		}
	}
	return mw.Close()
}

// do sends one request and decodes the JSON answer into out, or returns
// the API's error.
func (c *Client) do(ctx context.Context, method, path string, body io.Reader, contentType string,
	out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return redact(err, c.token)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return apiError(resp)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("api: decode %s reply: %w", method, err)
	}
	return nil
}

func apiError(resp *http.Response) error {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &Error{Status: resp.StatusCode}
	if json.Unmarshal(data, &body) == nil && body.Error.Code != "" {
		e.Code, e.Message = body.Error.Code, body.Error.Message
	} else {
		e.Code, e.Message = "unexpected_reply", strings.TrimSpace(string(data))
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// redact keeps the token, a path segment, out of transport errors, which
// quote the URL; the error still unwraps to its cause.
func redact(err error, token string) error {
	if token == "" {
		return err
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), token, "TOKEN"), err: err}
}

type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
