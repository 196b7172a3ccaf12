CREATE TABLE `share_items` (
	`share_id` text NOT NULL,
	`position` integer NOT NULL,
	`track_id` integer,
	`album_id` integer,
	`playlist_id` integer,
	PRIMARY KEY(`share_id`, `position`),
	FOREIGN KEY (`share_id`) REFERENCES `shares`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`playlist_id`) REFERENCES `playlists`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "share_items_one_target" CHECK(("share_items"."track_id" IS NOT NULL) + ("share_items"."album_id" IS NOT NULL) + ("share_items"."playlist_id" IS NOT NULL) = 1)
);
--> statement-breakpoint
CREATE INDEX `share_items_track` ON `share_items` (`track_id`);--> statement-breakpoint
CREATE INDEX `share_items_album` ON `share_items` (`album_id`);--> statement-breakpoint
CREATE INDEX `share_items_playlist` ON `share_items` (`playlist_id`);--> statement-breakpoint
CREATE TABLE `shares` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`changed_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`expires_at` integer NOT NULL,
	`visit_count` integer DEFAULT 0 NOT NULL,
	`last_visited_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shares_owner` ON `shares` (`owner_id`,`created_at`);