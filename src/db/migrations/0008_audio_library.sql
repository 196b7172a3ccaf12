ALTER TABLE `audio_jobs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `audio_loudness` ADD `content_id` text;--> statement-breakpoint
CREATE INDEX `audio_loudness_content` ON `audio_loudness` (`content_id`);