using System.Diagnostics;

namespace BlueGreen.Infra.Cdk.Tests.Support;

/// <summary>The app's real entry point, run as the CDK CLI (or a plain <c>dotnet run</c>) runs it.</summary>
public static class CdkApp
{
    /// <summary>Runs the app with <paramref name="args"/>, writing into <paramref name="outdir"/>; <paramref name="cliContext"/> is CDK_CONTEXT_JSON (null: read cdk.json).</summary>
    public static (int ExitCode, string StandardError) Run(string outdir, string? cliContext, params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "BlueGreen.Infra.Cdk.dll");
        var start = new ProcessStartInfo("dotnet", [app, .. args]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["CDK_CONTEXT_JSON"] = cliContext;
        start.Environment["CDK_OUTDIR"] = outdir;
        start.Environment["JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }
}
