namespace BlueGreen.Simulator;

/// <summary>
/// FNV-1a over UTF-16 code units. string.GetHashCode is randomized per process, which would make
/// seeded runs differ between invocations; this does not.
/// </summary>
public static class StableHash
{
    public static int Of(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h;
        }
    }
}
