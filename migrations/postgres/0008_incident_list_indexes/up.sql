-- Indexes for the incident lists at a million rows: "opened by me" within a membership,
-- "assigned to me" in the staff queue by due time, and every incident by latest activity.
-- Written by SeaORM releases as migration m0008_incident_list_indexes; kept byte for byte so their databases are adopted as they are.
CREATE INDEX "idx_incidents_membership_opener" ON "incidents" ("membership_id", "opened_by", "updated_at");
CREATE INDEX "idx_incidents_assignee_due" ON "incidents" ("assignee_id", "state", "resolution_due");
CREATE INDEX "idx_incidents_updated" ON "incidents" ("updated_at", "id");
