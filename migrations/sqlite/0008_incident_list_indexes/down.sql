DROP INDEX "idx_incidents_updated";
DROP INDEX "idx_incidents_assignee_due";
DROP INDEX "idx_incidents_membership_opener";
