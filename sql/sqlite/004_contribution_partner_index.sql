-- Partner visibility (issue 8): "may this partner see this project" is one probe of this index
-- (AccessPolicy::visibleProjects, a correlated EXISTS on project and partner), whether a lookup
-- finds one row or a list walks thousands.
CREATE INDEX contributions_project_partner ON contributions(project_id, partner_id);
