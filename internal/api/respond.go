package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/ajans/ajans"
)

// statuses maps each error code to its HTTP status.
var statuses = map[string]int{
	ajans.EINVALID:     http.StatusBadRequest,
	ajans.EAUTH:        http.StatusUnauthorized,
	ajans.ECREDIT:      http.StatusPaymentRequired,
	ajans.EFORBIDDEN:   http.StatusForbidden,
	ajans.ENOTFOUND:    http.StatusNotFound,
	ajans.EMETHOD:      http.StatusMethodNotAllowed,
	ajans.ECONFLICT:    http.StatusConflict,
	ajans.ETOOLARGE:    http.StatusRequestEntityTooLarge,
	ajans.ERATELIMIT:   http.StatusTooManyRequests,
	ajans.EINTERNAL:    http.StatusInternalServerError,
	ajans.EUPSTREAM:    http.StatusBadGateway,
	ajans.EUNAVAILABLE: http.StatusServiceUnavailable,
}

// StatusOf returns the HTTP status for an error code.
func StatusOf(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is the one shape of every error the API returns.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeJSON writes v as the JSON body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"status":500,"code":"internal_error","message":"encode reply"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// writeError writes err in the error shape and logs it: server-side
// failures at Error with their cause, the caller's mistakes at Debug.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := ajans.ErrorCode(err)
	status := StatusOf(code)
	if status >= 500 && !errors.Is(err, errCancelled) {
		s.log.Error("request failed", "method", r.Method, "path", redactPath(r.URL.Path),
			"status", status, "err", err)
	} else {
		s.log.Debug("request refused", "path", redactPath(r.URL.Path), "status", status, "err", err)
	}
	writeJSON(w, status, errorBody{errorDetail{status, code, ajans.ErrorMessage(err)}})
}

// errCancelled marks a request its client or a shutdown cut off; it is not
// logged as a failure of ours.
var errCancelled = errors.New("request cancelled")
