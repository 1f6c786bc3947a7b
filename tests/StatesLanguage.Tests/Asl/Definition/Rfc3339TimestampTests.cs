using BlueGreen.Simulator.Asl.Definition;

namespace BlueGreen.Simulator.Tests.Asl.Definition;

public class Rfc3339TimestampTests
{
    [Theory]
    [InlineData("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.0000000+00:00")]
    [InlineData("2024-01-01T10:00:00+01:00", "2024-01-01T09:00:00.0000000+00:00")]
    [InlineData("2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00.0000000+00:00")]
    [InlineData("2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00.5000000+00:00")]
    [InlineData("2024-01-01T00:00:00.123456789Z", "2024-01-01T00:00:00.1234568+00:00")]
    [InlineData("2024-01-01T00:00:00.99999999Z", "2024-01-01T00:00:01.0000000+00:00")]
    [InlineData("2024-02-29T12:00:00Z", "2024-02-29T12:00:00.0000000+00:00")]
    public void TryParse_Rfc3339Timestamp_IsTheInstantInUtc(string text, string expected)
    {
        Assert.True(Rfc3339Timestamp.TryParse(text, out var instant));
        Assert.Equal(expected, instant.ToString("o"));
    }

    [Theory]
    [InlineData("2026-01-05T09:00:00+15:00", "2026-01-04T18:00:00.0000000+00:00")]
    [InlineData("2026-01-05T09:00:00-23:59", "2026-01-06T08:59:00.0000000+00:00")]
    [InlineData("2026-01-05T09:00:00+14:01", "2026-01-04T18:59:00.0000000+00:00")]
    public void TryParse_OffsetBeyondFourteenHours_IsATimestamp(string text, string expected)
    {
        // RFC 3339 section 5.6: time-numoffset = ("+" / "-") time-hour ":" time-minute, hours 00-23.
        Assert.True(Rfc3339Timestamp.TryParse(text, out var instant));
        Assert.Equal(expected, instant.ToString("o"));
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z\n")]
    [InlineData("2024-01-01T00:00:00Z ")]
    [InlineData(" 2024-01-01T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00\tZ")]
    [InlineData("2024-01-01T00:00:00+01:00\n")]
    [InlineData("2024-01-01t00:00:00Z")]
    [InlineData("2024-01-01T00:00:00z")]
    [InlineData("2024-01-01 00:00:00Z")]
    [InlineData("2024-01-01T00:00:00")]
    [InlineData("2024-01-01T00:00Z")]
    [InlineData("2024-01-01T00:00:00.Z")]
    [InlineData("2024-01-01T00:00:00+24:00")]
    [InlineData("2024-01-01T00:00:00+01:60")]
    [InlineData("2024-01-01T00:00:00+0100")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T00:00:60Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2024-01-0١T00:00:00Z")]
    [InlineData("")]
    public void TryParse_NotAnRfc3339Timestamp_IsFalse(string text)
    {
        Assert.False(Rfc3339Timestamp.TryParse(text, out _));
    }
}
