-- Admins invite coordinators and admins by e-mail: an invitation's kind
-- may name a staff role, which the account it creates takes.
-- +goose Up
ALTER TABLE invitations DROP CONSTRAINT invitations_kind_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_kind_check
    CHECK (kind IN ('candidate', 'claim', 'member', 'coordinator', 'admin'));

-- +goose Down
DELETE FROM invitations WHERE kind IN ('coordinator', 'admin');
ALTER TABLE invitations DROP CONSTRAINT invitations_kind_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_kind_check
    CHECK (kind IN ('candidate', 'claim', 'member'));
