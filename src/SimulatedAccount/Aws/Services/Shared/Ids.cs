using System.Globalization;
using System.Text;

namespace BlueGreen.Simulator.Aws.Services;

/// <summary>
/// How the simulated services make identifiers. Every id is deterministic, so a rehearsal repeats exactly: either drawn
/// from a seeded random source (<see cref="ServiceRandom"/>, or the account's), or derived from a stable hash of what it
/// names (<see cref="StableHex"/>), so it does not depend on the order things are created in.
/// </summary>
/// <remarks>In the services' namespace (the folder is <c>Shared/</c>) so that every service sees it without a using.</remarks>
internal static class Ids
{
    /// <summary>A random source for one service, derived from the account seed so services do not disturb each other's sequences.</summary>
    public static Random ServiceRandom(SimulatedAccount account, string service) => new(account.Options.Seed ^ StableHash.Of(service));

    /// <summary>A version-4 UUID drawn from <paramref name="random"/> (execution names, request ids, EKS resource ids).</summary>
    public static string Uuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary><paramref name="length"/> random hex digits (EKS cluster ids, security group and instance ids).</summary>
    public static string Hex(Random random, int length, bool upper)
    {
        var bytes = new byte[(length + 1) / 2];
        random.NextBytes(bytes);
        var hex = upper ? Convert.ToHexString(bytes) : Convert.ToHexStringLower(bytes);
        return hex[..length];
    }

    /// <summary><paramref name="length"/> random upper-case letters and digits (DynamoDB request ids).</summary>
    public static string UpperAlphanumeric(Random random, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary><paramref name="length"/> random letters of either case (the suffix of a Secrets Manager secret's ARN).</summary>
    public static string Letters(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => (char)(random.Next(2) == 0 ? 'a' + random.Next(26) : 'A' + random.Next(26))).ToArray());

    /// <summary>An <c>x-amzn-RequestId</c> in the form the AWS SDK reports for Step Functions' optimized integrations.</summary>
    public static string RequestId(Random random) =>
        $"{random.Next():x8}-{random.Next(0x10000):x4}-4{random.Next(0x1000):x3}-a{random.Next(0x1000):x3}-{random.NextInt64(0x1000000000000):x12}";

    /// <summary>Lower-case hex digits derived from <paramref name="seed"/> (load balancer, listener and target group ids are 16).</summary>
    public static string StableHex(string seed, int length = 16)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(((uint)StableHash.Of($"{seed}#{i}")).ToString("x8", CultureInfo.InvariantCulture));
        }

        return sb.ToString(0, length);
    }

    /// <summary>Upper-case letters and digits derived from <paramref name="seed"/> (Route 53 zone and change ids).</summary>
    public static string StableUpper(string seed, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var sb = new StringBuilder(length);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(Alphabet[(int)((uint)StableHash.Of($"{seed}#{i}") % Alphabet.Length)]);
        }

        return sb.ToString();
    }
}
