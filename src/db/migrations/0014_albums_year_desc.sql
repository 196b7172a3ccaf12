-- Written by hand: drizzle-kit split the index expression at its comma (coalesce(`year`,` 0) desc).
CREATE INDEX `albums_year_desc` ON `albums` (coalesce(`year`, 0) DESC,`sort_key`,`id`);