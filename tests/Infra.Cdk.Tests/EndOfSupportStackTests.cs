using Amazon.CDK.Assertions;
using BlueGreen.Infra.Cdk.Tests.Support;

namespace BlueGreen.Infra.Cdk.Tests;

/// <summary>What starts the end-of-support scan, and what its one-time schedules may do.</summary>
[Collection(CdkCollection.Name)]
public sealed class EndOfSupportStackTests(SynthesizedStacks stacks)
{
    [Fact]
    public void DailySchedule_StartsTheScanEveryDay_WithTheStarterRole()
    {
        var (_, schedule) = Assert.Single(stacks.Defaults.Json.Resources("AWS::Scheduler::Schedule"));
        var json = stacks.Defaults.Json;

        Assert.Equal("cron(0 0 * * ? *)", json.Text(schedule["ScheduleExpression"]));
        Assert.Equal("UTC", json.Text(schedule["ScheduleExpressionTimezone"]));
        Assert.Equal("${eosscan2E72E775}", json.Text(schedule["Target"]!["Arn"]));
        Assert.Contains("EndOfSupportDailyScanRole", json.Text(schedule["Target"]!["RoleArn"]), StringComparison.Ordinal);
    }

    [Fact]
    public void HealthRule_MatchesEksPlannedLifecycleEvents_AndStartsTheScan()
    {
        stacks.Defaults.Template.HasResourceProperties("AWS::Events::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["EventPattern"] = new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.health" },
                ["detail-type"] = new[] { "AWS Health Event" },
                ["detail"] = new Dictionary<string, object> { ["service"] = new[] { "EKS" }, ["eventTypeCode"] = new[] { "AWS_EKS_PLANNED_LIFECYCLE_EVENT" } },
            },
        }));
    }

    [Theory]
    [InlineData("EndOfSupportSchedulerRole", "StartUpgrade", "-upgrade")]
    [InlineData("EndOfSupportDailyScanRole", "StartEndOfSupportScan", "-eos-scan")]
    public void StarterRoles_MayStartOneStateMachineOnly_AndDeadLetterToTheSchedulesQueue(string role, string sid, string machine)
    {
        var json = stacks.Defaults.Json;
        var statements = json.AllStatements().Where(s => s.Where.StartsWith(role, StringComparison.Ordinal) && s.Where.Contains("AWS::IAM::Policy", StringComparison.Ordinal)).Select(s => s.Statement).ToList();

        Assert.Contains(statements, st => json.Text(st["Sid"]) == sid);
        Assert.All(statements, statement =>
        {
            var resource = Assert.Single(json.Texts(statement["Resource"]));
            if (json.Text(statement["Sid"]) == "SendUndeliveredToDeadLetterQueue")
            {
                // configuring-schedule-dlq.html: the schedule's role sends its dead letters.
                Assert.Equal(["sqs:SendMessage"], json.Texts(statement["Action"]));
                Assert.EndsWith(":bluegreen-dev-schedules-undelivered", resource, StringComparison.Ordinal);
                return;
            }

            Assert.Equal(["states:StartExecution"], json.Texts(statement["Action"]));
            Assert.True(resource.EndsWith(machine, StringComparison.Ordinal) || resource.StartsWith("${eosscan", StringComparison.Ordinal), resource);
        });
        Assert.Single(statements, st => json.Text(st["Sid"]) == "SendUndeliveredToDeadLetterQueue");
    }

    [Fact]
    public void DailyScanSchedule_SendsWhatItCouldNotStartToTheSchedulesDeadLetterQueue_WhichHasAnAlarm()
    {
        var json = stacks.Defaults.Json;
        var queue = Assert.Single(json.Resources("AWS::SQS::Queue"), q => json.Text(q.Properties["QueueName"]) == "bluegreen-dev-schedules-undelivered");
        var daily = Assert.Single(json.Resources("AWS::Scheduler::Schedule"));
        Assert.Equal($"${{{queue.Id}.Arn}}", json.Text(daily.Properties["Target"]!["DeadLetterConfig"]!["Arn"]));
        var alarm = Assert.Single(json.Resources("AWS::CloudWatch::Alarm"), a => json.Text(a.Properties["AlarmName"]) == "bluegreen-dev-schedule-not-started");
        Assert.Contains("SCHEDULE_ARN", json.Text(alarm.Properties["AlarmDescription"]), StringComparison.Ordinal);
    }
}
