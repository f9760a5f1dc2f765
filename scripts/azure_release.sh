#!/usr/bin/env bash
# Roll a netpuls image out on Azure Container Apps: run `netpuls db upgrade` as the migration
# job with the new image, wait for it to succeed, then point the app at the image.
# A failed migration stops here, and the running version keeps serving.
#
#   scripts/azure_release.sh RESOURCE_GROUP MIGRATION_JOB CONTAINER_APP IMAGE
#
# Needs the Azure CLI with the containerapp extension, signed in (az login).
# https://learn.microsoft.com/cli/azure/containerapp/job
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 RESOURCE_GROUP MIGRATION_JOB CONTAINER_APP IMAGE" >&2
  exit 2
fi
group=$1 job=$2 app=$3 image=$4

execution=$(az containerapp job start --resource-group "$group" --name "$job" --container-name migrate \
  --image "$image" --query name --output tsv)
echo "migration job execution $execution started with $image"

# A job's replicaTimeout is 900 s (infra/main.bicep); wait a little longer than that.
for _ in $(seq 1 100); do
  status=$(az containerapp job execution show --resource-group "$group" --name "$job" \
    --job-execution-name "$execution" --query properties.status --output tsv)
  case "$status" in
    Succeeded) echo "migrations applied"; break ;;
    Failed|Stopped|Degraded)
      echo "migration job execution $execution ended $status; the app was not updated (az containerapp job execution list shows the history; the logs are in the environment's Log Analytics workspace)" >&2
      exit 1 ;;
    *) sleep 10 ;;
  esac
done
if [[ "${status:-}" != Succeeded ]]; then
  echo "migration job execution $execution still $status after the wait; the app was not updated" >&2
  exit 1
fi

# A revision suffix makes a new revision even when the tag is unchanged.
az containerapp update --resource-group "$group" --name "$app" --image "$image" \
  --revision-suffix "r$(date -u +%Y%m%d%H%M%S)" --output none
echo "$app now runs $image"
