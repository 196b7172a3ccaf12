-- drizzle-kit leaves out ON DELETE for an added column; without it deleting a user who added to
-- someone else's playlist would fail.
ALTER TABLE `playlist_entries` ADD `added_by` integer REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `playlists` ADD `collaborative` integer DEFAULT false NOT NULL;