CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`capabilities` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`last_address` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `devices_user` ON `devices` (`user_id`,`last_seen_at`);--> statement-breakpoint
CREATE TABLE `playback_states` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`active_device_id` text,
	`queue` text NOT NULL,
	`shuffle_order` text,
	`current_index` integer NOT NULL,
	`position_ms` integer NOT NULL,
	`observed_at` integer NOT NULL,
	`playing` integer NOT NULL,
	`volume` integer NOT NULL,
	`repeat` text NOT NULL,
	`changed_by` text,
	`changed_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
