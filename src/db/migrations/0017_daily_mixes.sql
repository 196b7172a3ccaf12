CREATE TABLE `daily_mixes` (
	`user_id` integer NOT NULL,
	`mix_id` text NOT NULL,
	`day` text NOT NULL,
	`folders` text NOT NULL,
	`track_ids` text NOT NULL,
	PRIMARY KEY(`user_id`, `mix_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
