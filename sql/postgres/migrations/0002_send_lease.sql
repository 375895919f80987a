-- The send lease (ReserveEmail): while it runs, another delivery of the same event does
-- not send the email too.
ALTER TABLE emails ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
