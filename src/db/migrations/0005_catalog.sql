CREATE TABLE `album_artists` (
	`album_id` integer NOT NULL,
	`artist_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`album_id`, `artist_id`),
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`artist_id`) REFERENCES `artists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `album_artists_artist` ON `album_artists` (`artist_id`);--> statement-breakpoint
CREATE TABLE `album_genres` (
	`album_id` integer NOT NULL,
	`genre_id` integer NOT NULL,
	PRIMARY KEY(`album_id`, `genre_id`),
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genre_id`) REFERENCES `genres`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `album_genres_genre` ON `album_genres` (`genre_id`);--> statement-breakpoint
CREATE TABLE `albums` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_key` text NOT NULL,
	`name` text NOT NULL,
	`sort_key` text NOT NULL,
	`album_artist` text NOT NULL,
	`album_artist_id` integer,
	`year` integer,
	`original_year` integer,
	`date` text,
	`original_date` text,
	`compilation` integer DEFAULT false NOT NULL,
	`mb_album_id` text,
	`mb_release_group_id` text,
	`label` text,
	`disc_count` integer DEFAULT 1 NOT NULL,
	`track_count` integer DEFAULT 0 NOT NULL,
	`duration` real DEFAULT 0 NOT NULL,
	`cover_id` text,
	`dirty` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`album_artist_id`) REFERENCES `artists`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `albums_group_key_unique` ON `albums` (`group_key`);--> statement-breakpoint
CREATE INDEX `albums_sort` ON `albums` (`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `albums_year` ON `albums` (`year`,`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `albums_recent` ON `albums` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `albums_artist` ON `albums` (`album_artist_id`);--> statement-breakpoint
CREATE INDEX `albums_dirty` ON `albums` (`dirty`);--> statement-breakpoint
CREATE TABLE `artists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`norm_name` text NOT NULL,
	`sort_name` text NOT NULL,
	`sort_key` text NOT NULL,
	`mb_artist_id` text,
	`album_count` integer DEFAULT 0 NOT NULL,
	`track_count` integer DEFAULT 0 NOT NULL,
	`dirty` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `artists_norm_name_unique` ON `artists` (`norm_name`);--> statement-breakpoint
CREATE INDEX `artists_sort` ON `artists` (`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `artists_dirty` ON `artists` (`dirty`);--> statement-breakpoint
CREATE TABLE `covers` (
	`id` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dir_images` (
	`folder_id` integer NOT NULL,
	`dir` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`mtime` integer NOT NULL,
	`cover_id` text NOT NULL,
	PRIMARY KEY(`folder_id`, `dir`),
	FOREIGN KEY (`folder_id`) REFERENCES `music_folders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cover_id`) REFERENCES `covers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dir_images_cover` ON `dir_images` (`cover_id`);--> statement-breakpoint
CREATE TABLE `genres` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`norm_name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `genres_norm_name_unique` ON `genres` (`norm_name`);--> statement-breakpoint
CREATE TABLE `lyrics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`track_id` integer NOT NULL,
	`source` text NOT NULL,
	`synced` integer NOT NULL,
	`lang` text,
	`text` text NOT NULL,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lyrics_track` ON `lyrics` (`track_id`);--> statement-breakpoint
CREATE TABLE `scan_problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`folder_id` integer NOT NULL,
	`dir` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`mtime` integer NOT NULL,
	`reason` text NOT NULL,
	`message` text NOT NULL,
	`first_seen_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`folder_id`) REFERENCES `music_folders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scan_problems_path_unique` ON `scan_problems` (`folder_id`,`dir`,`name`);--> statement-breakpoint
CREATE TABLE `scans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`full` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`stats` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `scans_started` ON `scans` (`started_at`);--> statement-breakpoint
CREATE TABLE `track_annotations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`track_id` integer NOT NULL,
	`starred_at` integer,
	`rating` integer,
	`play_count` integer DEFAULT 0 NOT NULL,
	`last_played_at` integer,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `track_annotations_user_track` ON `track_annotations` (`user_id`,`track_id`) WHERE user_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `track_annotations_nouser_track` ON `track_annotations` (`track_id`) WHERE user_id IS NULL;--> statement-breakpoint
CREATE TABLE `track_artists` (
	`track_id` integer NOT NULL,
	`artist_id` integer NOT NULL,
	`role` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`track_id`, `role`, `artist_id`),
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`artist_id`) REFERENCES `artists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_artists_artist` ON `track_artists` (`artist_id`,`role`);--> statement-breakpoint
CREATE TABLE `track_genres` (
	`track_id` integer NOT NULL,
	`genre_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`track_id`, `genre_id`),
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`genre_id`) REFERENCES `genres`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `track_genres_genre` ON `track_genres` (`genre_id`);--> statement-breakpoint
CREATE TABLE `tracks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`folder_id` integer NOT NULL,
	`dir` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`mtime` integer NOT NULL,
	`lrc_mtime` integer,
	`fingerprint` text NOT NULL,
	`missing_at` integer,
	`title` text NOT NULL,
	`sort_key` text NOT NULL,
	`album_id` integer NOT NULL,
	`artist` text NOT NULL,
	`album_artist` text NOT NULL,
	`composer` text,
	`track_no` integer,
	`track_of` integer,
	`disc_no` integer,
	`disc_of` integer,
	`disc_subtitle` text,
	`year` integer,
	`date` text,
	`original_year` integer,
	`original_date` text,
	`compilation` integer DEFAULT false NOT NULL,
	`duration` real,
	`bitrate` integer,
	`sample_rate` integer,
	`bit_depth` integer,
	`channels` integer,
	`codec` text,
	`container` text,
	`lossless` integer,
	`rg_track_gain` real,
	`rg_track_peak` real,
	`rg_album_gain` real,
	`rg_album_peak` real,
	`r128_track_gain` real,
	`r128_album_gain` real,
	`mb_recording_id` text,
	`mb_release_track_id` text,
	`mb_album_id` text,
	`mb_artist_id` text,
	`mb_album_artist_id` text,
	`isrc` text,
	`bpm` real,
	`label` text,
	`comment` text,
	`cover_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`folder_id`) REFERENCES `music_folders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tracks_present_path_unique` ON `tracks` (`folder_id`,`dir`,`name`) WHERE missing_at IS NULL;--> statement-breakpoint
CREATE INDEX `tracks_dir` ON `tracks` (`folder_id`,`dir`);--> statement-breakpoint
CREATE INDEX `tracks_fingerprint` ON `tracks` (`fingerprint`);--> statement-breakpoint
CREATE INDEX `tracks_album` ON `tracks` (`album_id`,`disc_no`,`track_no`);--> statement-breakpoint
CREATE INDEX `tracks_sort` ON `tracks` (`sort_key`,`id`);--> statement-breakpoint
CREATE INDEX `tracks_recent` ON `tracks` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tracks_missing` ON `tracks` (`missing_at`);--> statement-breakpoint
CREATE INDEX `tracks_cover` ON `tracks` (`cover_id`);