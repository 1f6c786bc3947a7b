#!/usr/bin/env bash
# Captures what the upgrade workflow reads about one EKS cluster and its traffic, as the AWS CLI prints it, for
#   dotnet run --project src/Simulator -- world import OUTDIR [--out WORLD_DIR]
#   dotnet run --project src/Simulator -- rehearse --world WORLD_DIR --input my-upgrade.json
#
# Usage: tools/capture-world.sh CLUSTER REGION OUTDIR [--load-balancer ARN]... [--hosted-zone ID]... [--alarm-prefix PREFIX]
#   --load-balancer  the ALB (or NLB) whose listener rule moves traffic (ALB mode); repeatable
#   --hosted-zone    the Route 53 zone holding the weighted records (Route 53 mode); repeatable
#   --alarm-prefix   only the CloudWatch alarms whose names start with PREFIX (default: every alarm in the Region)
#
# Read-only: every command is a describe/list call (IAM: eks:Describe*, eks:List*, elasticloadbalancing:Describe*,
# route53:ListResourceRecordSets, cloudwatch:DescribeAlarms). The files, one per command, keep the CLI's JSON as is:
#   eks/describe-cluster.json                      aws eks describe-cluster
#   eks/list-nodegroups.json, eks/nodegroups/NAME.json               list-nodegroups, describe-nodegroup
#   eks/list-addons.json, eks/addons/NAME.json                       list-addons, describe-addon
#   eks/list-access-entries.json, eks/access-entries/P.json, P.policies.json
#                                                  list-access-entries, describe-access-entry, list-associated-access-policies
#   eks/list-pod-identity-associations.json, eks/pod-identity-associations/ID.json
#                                                  list-pod-identity-associations, describe-pod-identity-association
#   elbv2/describe-load-balancers.json, describe-listeners-LB.json, describe-rules-LISTENER.json,
#   elbv2/describe-target-groups-LB.json, describe-target-health-TGNAME.json, describe-tags-*.json
#   route53/list-resource-record-sets-ZONEID.json
#   cloudwatch/describe-alarms.json
# File names made from names or ARNs keep letters, digits, '.', '_' and '-' and turn anything else into '_'.
# The AWS CLI follows pagination by itself, so each file holds every page.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,12p' "$0" >&2
  exit 64
fi
CLUSTER=$1 REGION=$2 OUT=$3
shift 3
LBS=() ZONES=() ALARM_PREFIX=""
while [ $# -gt 0 ]; do
  case $1 in
    --load-balancer) LBS+=("$2"); shift 2 ;;
    --hosted-zone) ZONES+=("${2#/hostedzone/}"); shift 2 ;;
    --alarm-prefix) ALARM_PREFIX=$2; shift 2 ;;
    *) echo "Unknown option $1" >&2; exit 64 ;;
  esac
done

safe() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }
aws_() { aws --region "$REGION" --output json "$@"; }
mkdir -p "$OUT"/eks/nodegroups "$OUT"/eks/addons "$OUT"/eks/access-entries "$OUT"/eks/pod-identity-associations "$OUT"/elbv2 "$OUT"/route53 "$OUT"/cloudwatch
cd "$OUT"

echo "EKS cluster $CLUSTER ($REGION)" >&2
aws_ eks describe-cluster --name "$CLUSTER" > eks/describe-cluster.json
aws_ eks list-nodegroups --cluster-name "$CLUSTER" > eks/list-nodegroups.json
for ng in $(aws_ eks list-nodegroups --cluster-name "$CLUSTER" --query 'nodegroups[]' --output text); do
  aws_ eks describe-nodegroup --cluster-name "$CLUSTER" --nodegroup-name "$ng" > "eks/nodegroups/$(safe "$ng").json"
done
aws_ eks list-addons --cluster-name "$CLUSTER" > eks/list-addons.json
for addon in $(aws_ eks list-addons --cluster-name "$CLUSTER" --query 'addons[]' --output text); do
  aws_ eks describe-addon --cluster-name "$CLUSTER" --addon-name "$addon" > "eks/addons/$(safe "$addon").json"
done
# Access entries exist only in the API and API_AND_CONFIG_MAP authentication modes: under CONFIG_MAP there are none to list.
MODE=$(aws_ eks describe-cluster --name "$CLUSTER" --query 'cluster.accessConfig.authenticationMode' --output text)
PRINCIPALS=""
if [ "$MODE" = CONFIG_MAP ]; then
  echo '{"accessEntries": []}' > eks/list-access-entries.json
else
  aws_ eks list-access-entries --cluster-name "$CLUSTER" > eks/list-access-entries.json
  PRINCIPALS=$(aws_ eks list-access-entries --cluster-name "$CLUSTER" --query 'accessEntries[]' --output text)
fi
for principal in $PRINCIPALS; do
  aws_ eks describe-access-entry --cluster-name "$CLUSTER" --principal-arn "$principal" > "eks/access-entries/$(safe "$principal").json"
  aws_ eks list-associated-access-policies --cluster-name "$CLUSTER" --principal-arn "$principal" > "eks/access-entries/$(safe "$principal").policies.json"
done
aws_ eks list-pod-identity-associations --cluster-name "$CLUSTER" > eks/list-pod-identity-associations.json
for id in $(aws_ eks list-pod-identity-associations --cluster-name "$CLUSTER" --query 'associations[].associationId' --output text); do
  aws_ eks describe-pod-identity-association --cluster-name "$CLUSTER" --association-id "$id" > "eks/pod-identity-associations/$(safe "$id").json"
done

if [ ${#LBS[@]} -gt 0 ]; then
  echo "Load balancers: ${LBS[*]}" >&2
  aws_ elbv2 describe-load-balancers --load-balancer-arns "${LBS[@]}" > elbv2/describe-load-balancers.json
  TAGGED=("${LBS[@]}")
  for lb in "${LBS[@]}"; do
    id=$(safe "${lb##*/}")
    aws_ elbv2 describe-listeners --load-balancer-arn "$lb" > "elbv2/describe-listeners-$id.json"
    aws_ elbv2 describe-target-groups --load-balancer-arn "$lb" > "elbv2/describe-target-groups-$id.json"
    for listener in $(aws_ elbv2 describe-listeners --load-balancer-arn "$lb" --query 'Listeners[].ListenerArn' --output text); do
      aws_ elbv2 describe-rules --listener-arn "$listener" > "elbv2/describe-rules-$(safe "${listener##*/}").json"
      TAGGED+=("$listener")
      for rule in $(aws_ elbv2 describe-rules --listener-arn "$listener" --query 'Rules[?!IsDefault].RuleArn' --output text); do TAGGED+=("$rule"); done
    done
    for tg in $(aws_ elbv2 describe-target-groups --load-balancer-arn "$lb" --query 'TargetGroups[].TargetGroupArn' --output text); do
      name=$(echo "$tg" | cut -d/ -f2)
      aws_ elbv2 describe-target-health --target-group-arn "$tg" > "elbv2/describe-target-health-$(safe "$name").json"
      TAGGED+=("$tg")
    done
  done
  # DescribeTags takes "up to 20 resources in a single call" (botocore elbv2/2015-12-01, DescribeTagsInput.ResourceArns).
  for ((i = 0; i < ${#TAGGED[@]}; i += 20)); do
    aws_ elbv2 describe-tags --resource-arns "${TAGGED[@]:i:20}" > "elbv2/describe-tags-$((i / 20)).json"
  done
fi

for zone in ${ZONES[@]+"${ZONES[@]}"}; do
  echo "Hosted zone $zone" >&2
  aws_ route53 list-resource-record-sets --hosted-zone-id "$zone" > "route53/list-resource-record-sets-$(safe "$zone").json"
done

echo "CloudWatch alarms ${ALARM_PREFIX:+starting with $ALARM_PREFIX}" >&2
# AlarmTypes also has LogAlarm in recent CLIs (botocore cloudwatch/2010-08-01, AlarmType); add it if yours knows it.
aws_ cloudwatch describe-alarms ${ALARM_PREFIX:+--alarm-name-prefix "$ALARM_PREFIX"} --alarm-types MetricAlarm CompositeAlarm > cloudwatch/describe-alarms.json

echo "Captured into $OUT. Next: dotnet run --project src/Simulator -- world import $OUT" >&2
