CREATE TABLE `audio_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`source` text NOT NULL,
	`params` text NOT NULL,
	`priority` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audio_jobs_key_unique` ON `audio_jobs` (`key`);--> statement-breakpoint
CREATE INDEX `audio_jobs_by_state` ON `audio_jobs` (`state`,`priority`,`id`);--> statement-breakpoint
CREATE INDEX `audio_jobs_by_source` ON `audio_jobs` (`source_id`);--> statement-breakpoint
CREATE TABLE `audio_loudness` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`integrated_lufs` real NOT NULL,
	`range_lu` real NOT NULL,
	`true_peak_dbtp` real NOT NULL,
	`measured_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
