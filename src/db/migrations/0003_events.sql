CREATE TABLE `event_aggregates` (
	`user_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`day` integer NOT NULL,
	`starts` integer DEFAULT 0 NOT NULL,
	`plays` integer DEFAULT 0 NOT NULL,
	`heard_ms` integer DEFAULT 0 NOT NULL,
	`skips` integer DEFAULT 0 NOT NULL,
	`last_played_at` integer,
	`liked` integer,
	`liked_at` integer,
	`rating` integer,
	`rated_at` integer,
	PRIMARY KEY(`user_id`, `track_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `event_consumers` (
	`name` text PRIMARY KEY NOT NULL,
	`checkpoint` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`offset` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`v` integer NOT NULL,
	`source` text NOT NULL,
	`device_id` text NOT NULL,
	`track_id` text,
	`client_time` integer NOT NULL,
	`received_at` integer NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_user_event_id` ON `events` (`user_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `events_user_offset` ON `events` (`user_id`,`offset`);--> statement-breakpoint
CREATE TABLE `listening_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`device_id` text NOT NULL,
	`played_at` integer NOT NULL,
	`heard_ms` integer NOT NULL,
	`source` text NOT NULL,
	`event_offset` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `listening_history_user_time` ON `listening_history` (`user_id`,`played_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `listening_history_event` ON `listening_history` (`event_offset`);--> statement-breakpoint
CREATE TABLE `now_playing` (
	`user_id` integer NOT NULL,
	`device_id` text NOT NULL,
	`track_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer,
	PRIMARY KEY(`user_id`, `device_id`)
);
--> statement-breakpoint
CREATE TABLE `play_counts` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`item_id` text NOT NULL,
	`plays` integer NOT NULL,
	`heard_ms` integer NOT NULL,
	`last_played_at` integer,
	PRIMARY KEY(`user_id`, `kind`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `play_counts_global` (
	`kind` text NOT NULL,
	`item_id` text NOT NULL,
	`plays` integer NOT NULL,
	`heard_ms` integer NOT NULL,
	`last_played_at` integer,
	PRIMARY KEY(`kind`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `play_daily` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`item_id` text NOT NULL,
	`day` integer NOT NULL,
	`plays` integer NOT NULL,
	`heard_ms` integer NOT NULL,
	`last_played_at` integer,
	PRIMARY KEY(`user_id`, `kind`, `item_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `play_daily_kind_day` ON `play_daily` (`kind`,`day`);--> statement-breakpoint
CREATE TABLE `track_feedback` (
	`user_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`liked` integer,
	`liked_at` integer,
	`rating` integer,
	`rated_at` integer,
	PRIMARY KEY(`user_id`, `track_id`)
);
--> statement-breakpoint
CREATE TABLE `track_skips` (
	`user_id` integer NOT NULL,
	`track_id` text NOT NULL,
	`starts` integer NOT NULL,
	`skips` integer NOT NULL,
	`plays` integer NOT NULL,
	PRIMARY KEY(`user_id`, `track_id`)
);
--> statement-breakpoint
CREATE TABLE `trending_hourly` (
	`track_id` text NOT NULL,
	`hour` integer NOT NULL,
	`plays` integer NOT NULL,
	PRIMARY KEY(`track_id`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `trending_hourly_hour` ON `trending_hourly` (`hour`);--> statement-breakpoint
CREATE TABLE `scrobble_accounts` (
	`user_id` integer NOT NULL,
	`service` text NOT NULL,
	`secret` text NOT NULL,
	`connected_at` integer NOT NULL,
	`disabled_reason` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `service`)
);
--> statement-breakpoint
CREATE TABLE `scrobble_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`service` text NOT NULL,
	`kind` text NOT NULL,
	`event_offset` integer NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`expires_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scrobble_queue_event` ON `scrobble_queue` (`service`,`event_offset`,`kind`);--> statement-breakpoint
CREATE INDEX `scrobble_queue_due` ON `scrobble_queue` (`service`,`next_attempt_at`);