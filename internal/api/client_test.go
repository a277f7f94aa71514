package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ajans/ajans"
	"github.com/ajans/ajans/client"
)

// TestGoClient drives the public Go client against the real server.
func TestGoClient(t *testing.T) {
	e := newEnv(t, options{credits: 5000})
	c := client.New(e.url+"/api/v2", e.token, nil)
	ctx := context.Background()

	credit, err := c.Credit(ctx)
	if err != nil || credit.Credit != 5000 {
		t.Fatalf("Credit = %+v, %v", credit, err)
	}
	team, err := c.Team(ctx)
	if err != nil || len(team) < 12 || team[0].Name["name_en"] == "" {
		t.Fatalf("Team = %d assistants, %v", len(team), err)
	}
	first, err := c.NewChat(ctx, 16, "Merhaba!")
	if err != nil || first.Message != "Merhaba!" || first.Usage.Credits != 1 {
		t.Fatalf("NewChat = %+v, %v", first, err)
	}
	notes := client.Attachment{Name: "notlar.txt", Body: strings.NewReader("Çarşamba toplantısı")}
	rep, err := c.SendMessage(ctx, first.ChatID, "Özetle", notes)
	if err != nil || !strings.Contains(rep.Message, "Çarşamba toplantısı") {
		t.Fatalf("SendMessage with a file = %+v, %v", rep, err)
	}
	page, err := c.ResumeChat(ctx, first.ChatID, &client.Page{Limit: 2})
	if err != nil || len(page.Messages) != 2 || !page.HasMore || page.NextBefore == 0 {
		t.Fatalf("ResumeChat page = %+v, %v", page, err)
	}
	chats, err := c.ViewChats(ctx, 16)
	if err != nil || len(chats) != 1 || chats[0].MessageCount != 4 {
		t.Fatalf("ViewChats = %+v, %v", chats, err)
	}
	if err := c.DeleteChat(ctx, first.ChatID); err != nil {
		t.Fatal(err)
	}

	_, err = c.SendMessage(ctx, first.ChatID, "hâlâ orada mısın?")
	var apiErr *client.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != ajans.ENOTFOUND {
		t.Fatalf("SendMessage to a deleted chat: %v", err)
	}
	bad := client.New(e.url+"/api/v2", ajans.MustNewToken(), nil)
	if _, err := bad.Credit(ctx); !errors.As(err, &apiErr) || apiErr.Status != 401 {
		t.Fatalf("Credit with a wrong token: %v", err)
	}
}
