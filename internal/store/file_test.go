package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/internal/store"
	"github.com/ajans/ajans/internal/store/storetest"
)

// fileTurn saves a turn in chatID (0: a new chat) whose user message has
// one attachment and whose reply has one document, and returns it.
func fileTurn(tb testing.TB, db *store.DB, appID, chatID int64, n string) *ajans.Turn {
	tb.Helper()
	h, err := db.PlaceHold(ctx, appID, 1, 10, time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	turn := &ajans.Turn{Hold: h, ChatID: chatID, AssistantID: 15, Title: "Rapor",
		User: ajans.Message{Role: ajans.RoleUser, Content: "Özetle", Tokens: 9,
			Files: []ajans.File{{Name: "a" + n + ".pdf", Kind: ajans.FileAttachment,
				Title: "Şirket raporu.pdf", MIME: "application/pdf", Size: 1234,
				SHA256: "ab12", Text: "Şirket kârı arttı."}}},
		Reply: ajans.Message{Role: ajans.RoleAssistant, Content: "Özet", Tokens: 2,
			Files: []ajans.File{{Name: "d" + n + ".docx", Kind: ajans.FileDocument,
				Title: "Özet", MIME: "application/x-docx", Size: 99, SHA256: "cd34"}}},
		Usage: ajans.Usage{MessageTokens: 9, ResponseTokens: 2, Credits: 1}}
	if err := db.SaveTurn(ctx, turn); err != nil {
		tb.Fatal(err)
	}
	return turn
}

func TestFilesAreSavedWithTheirTurn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 100)
		turn := fileTurn(t, db, app.ID, 0, "1")
		att, doc := turn.User.Files[0], turn.Reply.Files[0]
		if att.ID == 0 || att.MessageID != turn.User.ID || doc.MessageID != turn.Reply.ID ||
			att.ChatID != turn.ChatID || att.AppID != app.ID {
			t.Fatalf("ids not set: %+v %+v", att, doc)
		}

		got, err := db.FileByName(ctx, "a1.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(att, *got); diff != "" {
			t.Fatalf("FileByName (-saved +read):\n%s", diff)
		}
		all, err := db.ChatFiles(ctx, turn.ChatID)
		if err != nil || len(all) != 2 || all[0].Name != "a1.pdf" || all[1].Name != "d1.docx" {
			t.Fatalf("ChatFiles = %+v, %v", all, err)
		}
		_, err = db.FileByName(ctx, "nothing.png")
		wantCode(t, err, ajans.ENOTFOUND)
	})
}

func TestDeleteChatMarksItsFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, app := mustApp(t, db, "a@example.com", 100)
		_, other := mustApp(t, db, "b@example.com", 100)
		first := fileTurn(t, db, app.ID, 0, "1")
		fileTurn(t, db, app.ID, first.ChatID, "2")
		kept := fileTurn(t, db, other.ID, 0, "3")

		// Another app cannot delete the chat, and its files stay.
		wantCode(t, db.DeleteChat(ctx, other.ID, first.ChatID), ajans.ENOTFOUND)
		if gone, _ := db.DeletedFiles(ctx, 10); len(gone) != 0 {
			t.Fatalf("%d files marked by a refused delete", len(gone))
		}

		if err := db.DeleteChat(ctx, app.ID, first.ChatID); err != nil {
			t.Fatal(err)
		}
		_, err := db.FileByName(ctx, "a1.pdf")
		wantCode(t, err, ajans.ENOTFOUND)
		if files, _ := db.ChatFiles(ctx, first.ChatID); len(files) != 0 {
			t.Fatalf("%d files of a deleted chat listed", len(files))
		}
		gone, err := db.DeletedFiles(ctx, 10)
		if err != nil || len(gone) != 4 {
			t.Fatalf("DeletedFiles = %d, %v; want 4", len(gone), err)
		}
		ids := []int64{kept.User.Files[0].ID} // not deleted: must stay
		for _, f := range gone {
			ids = append(ids, f.ID)
		}
		if err := db.ForgetFiles(ctx, ids); err != nil {
			t.Fatal(err)
		}
		if gone, _ := db.DeletedFiles(ctx, 10); len(gone) != 0 {
			t.Fatalf("%d deleted files left after ForgetFiles", len(gone))
		}
		if _, err := db.FileByName(ctx, "a3.pdf"); err != nil {
			t.Fatalf("another chat's file: %v", err)
		}
	})
}

func TestDeleteAppMarksItsFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u, app := mustApp(t, db, "a@example.com", 100)
		_, other := mustApp(t, db, "b@example.com", 100)
		fileTurn(t, db, app.ID, 0, "1")
		fileTurn(t, db, other.ID, 0, "2")
		if _, err := db.DeleteApp(ctx, u.ID, app.ID); err != nil {
			t.Fatal(err)
		}
		gone, err := db.DeletedFiles(ctx, 10)
		if err != nil || len(gone) != 2 || gone[0].AppID != app.ID || gone[1].AppID != app.ID {
			t.Fatalf("DeletedFiles = %+v, %v; want the deleted app's two", gone, err)
		}
		if _, err := db.FileByName(ctx, "a2.pdf"); err != nil {
			t.Fatalf("another app's file: %v", err)
		}
	})
}
