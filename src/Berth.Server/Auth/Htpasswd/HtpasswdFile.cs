using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Berth.Server.Auth.Htpasswd;

/// <summary>
/// An Apache htpasswd file of bcrypt entries (<c>htpasswd -B</c>), as registry:2 reads it: re-read when it changes,
/// created with user <c>docker</c> and a random password when missing. Unknown users are checked against a dummy
/// hash of the same cost, so the response time does not tell which user names exist.
/// </summary>
internal sealed partial class HtpasswdFile
{
    // A stat per request is cheap, but not free at benchmark rates; a second of staleness is not noticeable.
    private static readonly TimeSpan ChangeCheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VerifiedLifetime = TimeSpan.FromSeconds(30);

    private static readonly (DateTime, long) Missing = (DateTime.MinValue, -1L);

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _reloadLock = new();
    private Snapshot _snapshot;
    private long _nextCheck;

    public HtpasswdFile(string path, ILogger logger, TimeProvider time)
    {
        _path = Path.GetFullPath(path);
        _logger = logger;
        _time = time;
        CreateIfMissing();
        _snapshot = Load();
    }

    /// <summary>True when bcrypt accepted this user and password within the last seconds (no check needed).</summary>
    public bool IsRemembered(string user, string password)
    {
        RefreshIfChanged();
        return _snapshot.Verified.Contains(user, password);
    }

    public LoginResult Verify(string user, string password)
    {
        RefreshIfChanged();
        var snapshot = _snapshot;
        if (snapshot.Verified.Contains(user, password))
        {
            return LoginResult.Verified;
        }

        var known = snapshot.Entries.TryGetValue(user, out var hash);
        bool matches;
        try
        {
            matches = BCrypt.Net.BCrypt.Verify(password, known ? hash : snapshot.DummyHash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            matches = false;
        }

        if (matches && known)
        {
            snapshot.Verified.Add(user, password);
            return LoginResult.Verified;
        }

        return known ? LoginResult.WrongPassword : LoginResult.UnknownUser;
    }

    private void RefreshIfChanged()
    {
        var now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextCheck))
        {
            return;
        }

        lock (_reloadLock)
        {
            if (now < _nextCheck)
            {
                return;
            }

            _nextCheck = now + (long)(ChangeCheckInterval.TotalSeconds * _time.TimestampFrequency);
            if (StampOf(_path) != _snapshot.Stamp)
            {
                _snapshot = Load();
                LogReloaded(_logger, _path, _snapshot.Entries.Count);
            }
        }
    }

    private Snapshot Load()
    {
        var stamp = StampOf(_path);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stamp == Missing)
        {
            // Deleted after start: nobody can log in until it is back, which fails closed.
            LogMissing(_logger, _path);
            return new Snapshot(entries, DummyHashFor(10), Missing, new VerifiedCredentials(_time, VerifiedLifetime));
        }

        var lineNumber = 0;
        var cost = 0;
        foreach (var raw in File.ReadLines(_path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var hash = colon > 0 ? line[(colon + 1)..] : string.Empty;
            if (!IsBcrypt(hash))
            {
                // registry:2 supports bcrypt only; the entry's hash is not logged.
                LogUnsupportedEntry(_logger, _path, lineNumber);
                continue;
            }

            entries[line[..colon]] = hash;
            cost = Math.Max(cost, int.Parse(hash.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture));
        }

        return new Snapshot(entries, DummyHashFor(cost == 0 ? 10 : cost), stamp, new VerifiedCredentials(_time, VerifiedLifetime));
    }

    private static (DateTime, long) StampOf(string path)
    {
        // Through an open handle, so symlinks are followed to the file they name now: FileInfo reports a link's own
        // times, and a Kubernetes Secret is updated by re-pointing a directory link the path's link goes through,
        // which would leave removed users able to log in until a restart.
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return (File.GetLastWriteTimeUtc(handle), RandomAccess.GetLength(handle));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Missing;
        }
    }

    private static bool IsBcrypt(string hash) =>
        hash.Length == 60 && hash[0] == '$' && hash[1] == '2' && hash[3] == '$' && hash[6] == '$'
        && char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]);

    private static string DummyHashFor(int cost) =>
        BCrypt.Net.BCrypt.HashPassword(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)), cost);

    private void CreateIfMissing()
    {
        if (File.Exists(_path))
        {
            return;
        }

        // registry:2 (createHtpasswdFile): user "docker", a random password logged once, file 0600.
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!PrivateFile.TryCreate(_path, $"docker:{BCrypt.Net.BCrypt.HashPassword(password, 10)}"))
        {
            // Another instance sharing the file created it first; its password is the one that counts.
            return;
        }

        LogProvisioned(_logger, _path, "docker", password);
    }

    private sealed record Snapshot(
        IReadOnlyDictionary<string, string> Entries, string DummyHash, (DateTime, long) Stamp, VerifiedCredentials Verified);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "htpasswd file {Path} was missing; created it with user {User} and password {Password} (shown once: change it)")]
    private static partial void LogProvisioned(ILogger logger, string path, string user, string password);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "htpasswd file {Path} changed; {Count} user(s) loaded")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "htpasswd file {Path} line {Line} is not a bcrypt entry (use htpasswd -B); it is ignored")]
    private static partial void LogUnsupportedEntry(ILogger logger, string path, int line);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "htpasswd file {Path} does not exist; every login fails until it is restored")]
    private static partial void LogMissing(ILogger logger, string path);
}
