namespace BlueGreen.Functions.GreenSpec;

/// <summary>Compares IAM roles by account and role name, ignoring the path and the STS assumed-role form.</summary>
internal static class IamRoleKey
{
    /// <summary>The role's comparison key (<c>ACCOUNT:role:NAME</c>), or the ARN itself when it names no role.</summary>
    public static string Of(string arn)
    {
        // arn:aws:iam::111122223333:role/path/name  or  arn:aws:sts::111122223333:assumed-role/name/session
        var parts = arn.Split(':', 6);
        if (parts.Length < 6)
        {
            return arn;
        }
        var resource = parts[5];
        if (resource.StartsWith("role/", StringComparison.Ordinal))
        {
            return $"{parts[4]}:role:{resource[(resource.LastIndexOf('/') + 1)..]}";
        }
        if (resource.StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var segments = resource.Split('/');
            return $"{parts[4]}:role:{segments[1]}";
        }
        return arn;
    }
}
