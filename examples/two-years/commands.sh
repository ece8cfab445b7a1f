#!/bin/sh
# The worked two-year example: Westmere imports two years of both health checks
# from Microsoft Forms and writes one committee paper. Run from the repository root:
#
#   sh examples/two-years/commands.sh
#
# (tests/examples/test_two_years.py runs every `healthcheck` line below, in order,
# and checks the figures against the proportions in generate.py.)
set -e
export DATABASE_URL="${DATABASE_URL:-sqlite:///westmere-example.db}"
export HEALTHCHECK_ORGANISATION=westmere
export HEALTHCHECK_MODE="${HEALTHCHECK_MODE:-development}"   # or set HEALTHCHECK_SECRET_KEY
healthcheck db upgrade
healthcheck org create westmere "Westmere Council"
healthcheck service create "Children's"
healthcheck service create Adults
healthcheck team create "Front Door" --service "Children's"
healthcheck team create "Children in Care" --service "Children's"
healthcheck team create "Family Support" --service "Children's"
healthcheck team create "Hospital Discharge" --service Adults
healthcheck template add examples/two-years/westmere-sw.yaml
healthcheck template questions westmere-social-worker-health-check
healthcheck import responses examples/two-years/sw-2025.csv --template westmere-social-worker-health-check --campaign "SW 2025" --year 2025 --mapping examples/two-years/sw-mapping.yaml --invited-file examples/two-years/sw-invited-2025.csv
healthcheck import responses examples/two-years/sw-2026.csv --template westmere-social-worker-health-check --campaign "SW 2026" --year 2026 --mapping examples/two-years/sw-mapping.yaml --invited-file examples/two-years/sw-invited-2026.csv
healthcheck import responses examples/two-years/workforce-2025.csv --template wider-workforce-health-check --campaign "Workforce 2025" --year 2025 --mapping examples/two-years/workforce-mapping.yaml --invited-file examples/two-years/workforce-invited-2025.csv
healthcheck import responses examples/two-years/workforce-2026.csv --template wider-workforce-health-check --campaign "Workforce 2026" --year 2026 --mapping examples/two-years/workforce-mapping.yaml --invited-file examples/two-years/workforce-invited-2026.csv
healthcheck campaign list
healthcheck action add --said "Workloads are not safe within contracted hours" --doing "Caseload cap of 18 in the assessment teams" --owner "Head of Service" --campaign "SW 2026" --question WL01 --status "in progress"
healthcheck target set WL01 70 --template westmere-social-worker-health-check
healthcheck report "SW 2026" --format csv --out sw-2026.csv
healthcheck report "Workforce 2026" --format csv --out workforce-2026.csv
healthcheck report --combined "SW 2026" "Workforce 2026" --out westmere-health-checks-2026.docx
