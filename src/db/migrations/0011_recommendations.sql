CREATE TABLE `co_listen_recent` (
	`user_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`played_at` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`user_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `co_listen_recent_user` ON `co_listen_recent` (`user_id`,`played_at`);--> statement-breakpoint
CREATE TABLE `co_listens` (
	`track_id` text NOT NULL,
	`other_id` text NOT NULL,
	`weight` real NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`track_id`, `other_id`)
);
--> statement-breakpoint
CREATE TRIGGER users_delete_co_listen_recent AFTER DELETE ON users BEGIN
  DELETE FROM co_listen_recent WHERE user_id = OLD.id;
END;
