DROP INDEX `tracks_missing`;--> statement-breakpoint
CREATE INDEX `tracks_missing` ON `tracks` (`missing_at`) WHERE missing_at IS NOT NULL;