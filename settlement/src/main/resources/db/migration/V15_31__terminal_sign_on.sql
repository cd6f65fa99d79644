-- The latest sign-on of each terminal, at whichever node it came: every node polls the rows changed
-- lately (by signed_on_at, the database's own clock) and ends its own older session of the terminal,
-- so keys a sign-on at another node replaced stop working there too. generation counts the
-- terminal's sign-ons (the row lock orders them); a session remembers the generation that issued it.
CREATE TABLE terminal_sign_on (
    terminal_id  VARCHAR(16)              NOT NULL,
    generation   BIGINT                   NOT NULL,
    node_id      VARCHAR(64)              NOT NULL,
    signed_on_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT terminal_sign_on_key PRIMARY KEY (terminal_id)
);
CREATE INDEX terminal_sign_on_at ON terminal_sign_on (signed_on_at);
