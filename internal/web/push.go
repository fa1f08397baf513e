package web

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"gitlab.opencode.de/pforte/pforte/internal/notify"
	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// vapidPublicKey is the tenant's application server key for the page.
func (s *Server) vapidPublicKey(c *fiber.Ctx) string {
	if k, ok := s.PushKeys[tenantOf(c).ID]; ok {
		return k.PublicKey()
	}
	return ""
}

// handleSubscribe is POST /api/push/subscriptions (public contract): the
// body is PushSubscription.toJSON(). Only real push services (or
// push.allow_hosts) are accepted, so the server cannot be steered to
// internal addresses. 201 for a new device, 200 for a refresh.
func (s *Server) handleSubscribe(c *fiber.Ctx) error {
	sub, err := push.ParseSubscription(c.Body(), s.Config.Push.AllowHosts)
	if err != nil {
		return subscriptionError(err)
	}
	created, err := notify.NewDevices(s.tenantStore(c)).Save(c.UserContext(), userOf(c).Subject, sub, s.Now())
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(fiber.Map{"id": notify.DeviceID(sub.Endpoint), "max_devices": notify.MaxDevices})
}

// handleUnsubscribe is DELETE /api/push/subscriptions (public contract):
// the body names the endpoint (the whole toJSON() is fine).
func (s *Server) handleUnsubscribe(c *fiber.Ctx) error {
	var body struct {
		Endpoint string `json:"endpoint"`
	}
	if err := json.Unmarshal(c.Body(), &body); err != nil || body.Endpoint == "" {
		return fiber.NewError(fiber.StatusBadRequest, "endpoint: required (send PushSubscription.toJSON())")
	}
	if err := notify.NewDevices(s.tenantStore(c)).Delete(c.UserContext(), userOf(c).Subject, body.Endpoint); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func subscriptionError(err error) error {
	var fe *push.FieldError
	if errors.As(err, &fe) {
		return fiber.NewError(fiber.StatusBadRequest, fe.Field+": "+fe.Reason)
	}
	return fiber.NewError(fiber.StatusBadRequest, "subscription: must be the JSON of PushSubscription.toJSON()")
}

// handlePushEvent is POST /api/push/events, sent by the service worker when
// a notification was shown or clicked, for the admin figures. Each user
// counts once per announcement and kind. It needs the session but no CSRF
// token (the worker has none); at worst a forged request counts a user who
// did not look, never anything else.
func (s *Server) handlePushEvent(c *fiber.Ctx) error {
	var body struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	if err := json.Unmarshal(c.Body(), &body); err != nil || body.ID == "" || len(body.ID) > 64 {
		return fiber.NewError(fiber.StatusBadRequest, "id: required")
	}
	if body.Type != "shown" && body.Type != "clicked" {
		return fiber.NewError(fiber.StatusBadRequest, "type: shown or clicked")
	}
	u := userOf(c)
	a, err := s.announcements(c).Get(c.UserContext(), body.ID)
	if err != nil || !a.Targets(u.Groups) {
		return fiber.NewError(fiber.StatusNotFound, "id: no such announcement")
	}
	if err := notify.RecordSeen(c.UserContext(), s.tenantStore(c), a.ID, body.Type, u.Subject, s.Now()); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
