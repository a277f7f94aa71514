package apitest

import "net/http"

const (
	credit = `{"credit":12000,"low_credit":false,"no_credit":false}`
	member = `{"id":16,"name":{"name_tr":"Yazılım Geliştirici","name_en":"Software Developer"},` +
		`"description":{"description_tr":"Kod yazar.","description_en":"Writes code."},` +
		`"capabilities":["chat"]}`
	reply = `{"chat_id":12,"message":"Merhaba!","remaining_credit":9994,"is_image":false,` +
		`"usage":{"message_tokens":3,"response_tokens":3,"credits":1}}`
	history = `{"chat_id":12,"ai_id":16,"title":"Merhaba!","messages":[` +
		`{"id":1,"role":"user","content":"Merhaba!","created_at":"2026-12-03T18:00:00Z"},` +
		`{"id":2,"role":"assistant","content":"Selam!","created_at":"2026-12-03T18:00:01Z"}],` +
		`"has_more":false}`
	summary = `{"chat_id":12,"ai_id":16,"title":"Merhaba!","message_count":4,` +
		`"created_at":"2026-12-03T18:00:00Z","updated_at":"2026-12-03T18:05:00Z"}`
)

func accountCases() []checkCase {
	get := http.MethodGet
	path := "/api/v2/credit/" + token
	team := "/api/v2/ai-team-list/" + token
	return []checkCase{
		{name: "credit", method: get, target: path, status: 200, header: apiHeader(), body: credit},
		{name: "credit on another host and port", method: get,
			target: "http://127.0.0.1:41234" + path, status: 200, header: apiHeader(), body: credit},
		{name: "credit with charset", method: get, target: path, status: 200,
			header: apiHeader("Content-Type", "application/json; charset=utf-8"), body: credit},
		{name: "credit missing no_credit", method: get, target: path, status: 200,
			header: apiHeader(), body: `{"credit":1,"low_credit":true}`, want: "no_credit"},
		{name: "credit with extra field", method: get, target: path, status: 200,
			header: apiHeader(), body: `{"credit":1,"low_credit":true,"no_credit":false,"bonus":5}`,
			want: "bonus"},
		{name: "credit negative", method: get, target: path, status: 200, header: apiHeader(),
			body: `{"credit":-1,"low_credit":true,"no_credit":true}`, want: "credit"},
		{name: "credit as string", method: get, target: path, status: 200, header: apiHeader(),
			body: `{"credit":"12000","low_credit":false,"no_credit":false}`, want: "integer"},
		{name: "credit without rate-limit headers", method: get, target: path, status: 200,
			header: apiHeader("X-RateLimit-Remaining", ""), body: credit,
			want: "X-RateLimit-Remaining"},
		{name: "credit rate-limit header not an integer", method: get, target: path, status: 200,
			header: apiHeader("X-RateLimit-Reset", "soon"), body: credit,
			want: "X-RateLimit-Reset"},
		{name: "credit as text", method: get, target: path, status: 200,
			header: apiHeader("Content-Type", "text/plain"), body: credit, want: "content type"},
		{name: "credit without content type", method: get, target: path, status: 200,
			header: apiHeader("Content-Type", ""), body: credit, want: "no Content-Type"},
		{name: "credit empty body", method: get, target: path, status: 200,
			header: apiHeader(), body: "", want: "decode"},
		{name: "credit 401", method: get, target: path, status: 401, header: apiHeader(),
			body: errorBody(401, "invalid_token")},
		{name: "credit 418", method: get, target: path, status: 418, header: apiHeader(),
			body: errorBody(400, "invalid_request"), want: "status 418 is not documented"},
		{name: "credit 402", method: get, target: path, status: 402, header: apiHeader(),
			body: errorBody(402, "insufficient_credit"), want: "status 402 is not documented"},
		{name: "team bare array", method: get, target: team, status: 200, header: apiHeader(),
			body: "[" + member + "," + member + "]"},
		{name: "team empty array", method: get, target: team, status: 200, header: apiHeader(),
			body: "[]"},
		{name: "team wrapped in object", method: get, target: team, status: 200,
			header: apiHeader(), body: `{"data":[` + member + "]}", want: "array"},
		{name: "team name as string", method: get, target: team, status: 200, header: apiHeader(),
			body: `[{"id":16,"name":"Yazılım","description":{"description_tr":"a",` +
				`"description_en":"b"},"capabilities":[]}]`, want: "name"},
		{name: "team without name_en", method: get, target: team, status: 200,
			header: apiHeader(), body: `[{"id":16,"name":{"name_tr":"Yazılım"},"description":` +
				`{"description_tr":"a","description_en":"b"},"capabilities":[]}]`, want: "name_en"},
		{name: "team with a third language", method: get, target: team, status: 200,
			header: apiHeader(), body: `[{"id":16,"name":{"name_tr":"a","name_en":"b",` +
				`"name_de":"c"},"description":{"description_tr":"a","description_en":"b"},` +
				`"capabilities":["chat","image"]}]`},
	}
}

func chatCases() []checkCase {
	post := http.MethodPost
	newChat := "/api/v2/newChat/16/" + token
	send := "/api/v2/sendMessage/" + token
	resume := "/api/v2/resumeChat/12/" + token
	return []checkCase{
		{name: "newChat reply", method: post, target: newChat, status: 200, header: apiHeader(),
			body: reply},
		{name: "newChat reply without usage", method: post, target: newChat, status: 200,
			header: apiHeader(),
			body:   `{"chat_id":12,"message":"Selam","remaining_credit":0,"is_image":false}`},
		{name: "newChat image reply", method: post, target: newChat, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"message":"a1.png","remaining_credit":5,` +
				`"is_image":true,"images":["a1.png","a2.png"]}`},
		{name: "newChat document reply", method: post, target: newChat, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"message":"Rapor hazır.",` +
				`"remaining_credit":5,"is_image":false,"is_document":true,"files":[{"file_name":` +
				`"r.pdf","url":"/api/file?fileName=r.pdf","mime":"application/pdf","size":10}]}`},
		{name: "newChat file without size", method: post, target: newChat, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"message":"x","remaining_credit":5,` +
				`"is_image":false,"files":[{"file_name":"r.pdf","url":"u","mime":"m"}]}`,
			want: "size"},
		{name: "newChat chat_id as string", method: post, target: newChat, status: 200,
			header: apiHeader(),
			body:   `{"chat_id":"12","message":"x","remaining_credit":5,"is_image":false}`,
			want:   "chat_id"},
		{name: "newChat without remaining_credit", method: post, target: newChat, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"message":"x","is_image":false}`,
			want: "remaining_credit"},
		{name: "newChat 402", method: post, target: newChat, status: 402, header: apiHeader(),
			body: errorBody(402, "insufficient_credit")},
		{name: "newChat 402 with another code", method: post, target: newChat, status: 402,
			header: apiHeader(), body: errorBody(402, "not_found"), want: "code"},
		{name: "newChat 402 with another status", method: post, target: newChat, status: 402,
			header: apiHeader(), body: errorBody(400, "insufficient_credit"), want: "status"},
		{name: "newChat error with extra field", method: post, target: newChat, status: 400,
			header: apiHeader(), body: `{"error":{"status":400,"code":"invalid_request",` +
				`"message":"m","hint":"h"}}`, want: "hint"},
		{name: "newChat error without message", method: post, target: newChat, status: 400,
			header: apiHeader(), body: `{"error":{"status":400,"code":"invalid_request",` +
				`"message":""}}`, want: "message"},
		{name: "newChat error not wrapped", method: post, target: newChat, status: 404,
			header: apiHeader(), body: `{"status":404,"code":"not_found","message":"m"}`,
			want: "error"},
		{name: "newChat 413", method: post, target: newChat, status: 413, header: apiHeader(),
			body: errorBody(413, "too_large")},
		{name: "newChat 429", method: post, target: newChat, status: 429,
			header: apiHeader("Retry-After", "1"), body: errorBody(429, "rate_limited")},
		{name: "newChat 429 without Retry-After", method: post, target: newChat, status: 429,
			header: apiHeader(), body: errorBody(429, "rate_limited"), want: "Retry-After"},
		{name: "newChat 502", method: post, target: newChat, status: 502, header: apiHeader(),
			body: errorBody(502, "provider_failed")},
		{name: "newChat 503", method: post, target: newChat, status: 503, header: apiHeader(),
			body: errorBody(503, "provider_unavailable")},
		{name: "sendMessage reply", method: post, target: send, status: 200, header: apiHeader(),
			body: reply},
		{name: "sendMessage 404", method: post, target: send, status: 404, header: apiHeader(),
			body: errorBody(404, "not_found")},
		{name: "resumeChat", method: post, target: resume, status: 200, header: apiHeader(),
			body: history},
		{name: "resumeChat as GET with a page", method: http.MethodGet,
			target: resume + "?limit=2&before=9", status: 200, header: apiHeader(),
			body: `{"chat_id":12,"ai_id":16,"title":"t","messages":[],"has_more":true,` +
				`"next_before":7}`},
		{name: "resumeChat with a system message", method: post, target: resume, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"ai_id":16,"title":"t","messages":[{"id":1,` +
				`"role":"system","content":"c","created_at":"2026-12-03T18:00:00Z"}],` +
				`"has_more":false}`, want: "role"},
		{name: "resumeChat with a bad time", method: post, target: resume, status: 200,
			header: apiHeader(), body: `{"chat_id":12,"ai_id":16,"title":"t","messages":[{"id":1,` +
				`"role":"user","content":"c","created_at":"dün"}],"has_more":false}`,
			want: "date-time"},
		{name: "view-chats", method: http.MethodGet, target: "/api/v2/view-chats/16/" + token,
			status: 200, header: apiHeader(), body: "[" + summary + "]"},
		{name: "view-chats without message_count", method: http.MethodGet,
			target: "/api/v2/view-chats/16/" + token, status: 200, header: apiHeader(),
			body: `[{"chat_id":12,"ai_id":16,"title":"t","created_at":"2026-12-03T18:00:00Z",` +
				`"updated_at":"2026-12-03T18:00:00Z"}]`, want: "message_count"},
		{name: "deleteChat", method: http.MethodDelete, target: "/api/v2/deleteChat/12/" + token,
			status: 200, header: apiHeader(), body: `{"deleted":true,"chat_id":12}`},
		{name: "deleteChat not deleted", method: http.MethodDelete,
			target: "/api/v2/deleteChat/12/" + token, status: 200, header: apiHeader(),
			body: `{"deleted":false,"chat_id":12}`, want: "deleted"},
	}
}

func methodCases() []checkCase {
	path := "/api/v2/credit/" + token
	notAllowed := errorBody(405, "method_not_allowed")
	return []checkCase{
		{name: "PUT credit 405", method: http.MethodPut, target: path, status: 405,
			header: plainHeader("application/json", "Allow", "GET"), body: notAllowed},
		{name: "PUT credit 405 allowing HEAD", method: http.MethodPut, target: path, status: 405,
			header: plainHeader("application/json", "Allow", "GET, HEAD"), body: notAllowed},
		{name: "POST credit 405 with rate-limit headers", method: http.MethodPost, target: path,
			status: 405, header: apiHeader("Allow", "GET"), body: notAllowed},
		{name: "DELETE newChat 405", method: http.MethodDelete,
			target: "/api/v2/newChat/16/" + token, status: 405,
			header: plainHeader("application/json", "Allow", "POST"), body: notAllowed},
		{name: "PUT resumeChat 405", method: http.MethodPut,
			target: "/api/v2/resumeChat/12/" + token, status: 405,
			header: plainHeader("application/json", "Allow", "GET, HEAD, POST"), body: notAllowed},
		{name: "PUT resumeChat 405 without POST", method: http.MethodPut,
			target: "/api/v2/resumeChat/12/" + token, status: 405,
			header: plainHeader("application/json", "Allow", "GET"), body: notAllowed,
			want: "lacks POST"},
		{name: "405 without Allow", method: http.MethodPut, target: path, status: 405,
			header: plainHeader("application/json"), body: notAllowed, want: "lacks GET"},
		{name: "405 allowing too much", method: http.MethodPut, target: path, status: 405,
			header: plainHeader("application/json", "Allow", "GET, POST"), body: notAllowed,
			want: "names POST"},
		{name: "405 as text", method: http.MethodPut, target: path, status: 405,
			header: plainHeader("text/plain; charset=utf-8", "Allow", "GET"),
			body:   "Method Not Allowed", want: "content type"},
		{name: "PUT credit 200", method: http.MethodPut, target: path, status: 200,
			header: apiHeader(), body: credit, want: "only 405"},
		{name: "GET credit 405", method: http.MethodGet, target: path, status: 405,
			header: apiHeader("Allow", "GET"), body: notAllowed, want: "a documented method"},
		{name: "unknown path", method: http.MethodGet, target: "/api/v2/nothing/" + token,
			status: 404, header: apiHeader(), body: errorBody(404, "not_found"), want: "no path"},
	}
}

func otherCases() []checkCase {
	get := http.MethodGet
	json := plainHeader("application/json")
	return []checkCase{
		{name: "healthz", method: get, target: "/healthz", status: 200, header: json,
			body: `{"status":"ok"}`},
		{name: "healthz says fine", method: get, target: "/healthz", status: 200, header: json,
			body: `{"status":"fine"}`, want: "status"},
		{name: "HEAD healthz", method: http.MethodHead, target: "/healthz", status: 200,
			header: json},
		{name: "readyz", method: get, target: "/readyz", status: 200, header: json,
			body: `{"status":"ready"}`},
		{name: "readyz 503", method: get, target: "/readyz", status: 503, header: json,
			body: errorBody(503, "provider_unavailable")},
		{name: "image", method: get, target: "/api/image?fileName=a1.png", status: 200,
			header: plainHeader("image/png"), body: "\x89PNG\r\n\x1a\n"},
		{name: "image as json", method: get, target: "/api/image?fileName=a1.png", status: 200,
			header: json, body: `{"image":"a1.png"}`, want: "content type"},
		{name: "image 400", method: get, target: "/api/image", status: 400, header: json,
			body: errorBody(400, "invalid_request")},
		{name: "image 404", method: get, target: "/api/image?fileName=x.png", status: 404,
			header: json, body: errorBody(404, "not_found")},
		{name: "image 404 as text", method: get, target: "/api/image?fileName=x.png",
			status: 404, header: plainHeader("text/plain"), body: "404 page not found",
			want: "content type"},
		{name: "file", method: get, target: "/api/file?fileName=r.pdf", status: 200,
			header: plainHeader("application/pdf"), body: "%PDF-1.7"},
		{name: "file that is json", method: get, target: "/api/file?fileName=r.json",
			status: 200, header: json, body: `{"any":"thing"}`},
		{name: "file 404", method: get, target: "/api/file?fileName=r.pdf", status: 404,
			header: json, body: errorBody(404, "not_found")},
	}
}
