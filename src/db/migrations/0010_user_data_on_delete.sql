-- A deleted user's listening, annotations and scrobbling go with them. These tables were written
-- by domains that do not own users, so they hold user_id without a foreign key; one trigger covers
-- every way of deleting a user (web, CLI, Subsonic). Global aggregates keep their counts.
CREATE TRIGGER users_delete_personal_data AFTER DELETE ON users BEGIN
  DELETE FROM track_annotations WHERE user_id = OLD.id;
  DELETE FROM events WHERE user_id = OLD.id;
  DELETE FROM event_aggregates WHERE user_id = OLD.id;
  DELETE FROM play_counts WHERE user_id = OLD.id;
  DELETE FROM play_daily WHERE user_id = OLD.id;
  DELETE FROM listening_history WHERE user_id = OLD.id;
  DELETE FROM track_skips WHERE user_id = OLD.id;
  DELETE FROM now_playing WHERE user_id = OLD.id;
  DELETE FROM track_feedback WHERE user_id = OLD.id;
  DELETE FROM scrobble_accounts WHERE user_id = OLD.id;
  DELETE FROM scrobble_queue WHERE user_id = OLD.id;
END;
--> statement-breakpoint
DELETE FROM track_annotations WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM events WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM event_aggregates WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM play_counts WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM play_daily WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM listening_history WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM track_skips WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM now_playing WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM track_feedback WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM scrobble_accounts WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
--> statement-breakpoint
DELETE FROM scrobble_queue WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users);
