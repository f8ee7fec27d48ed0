using System.Buffers.Text;
using System.Globalization;

namespace Berth.Core.Storage.Filesystem;

/// <summary>
/// How many bytes of a file a writer has committed, kept in a small record beside it (<c>.berth-length-data</c>)
/// once a writer extends the file in place. The file may hold more: the chunk being written, or what a crash or an
/// abandoned writer left behind. Every read through the driver stops at the recorded length, and the next writer
/// or move cuts the file back to it, so an uncommitted byte is never counted, even after a kill -9.
/// </summary>
/// <remarks>
/// A file without a record is whole. The record is replaced by rename, so a reader sees the old length or the new.
/// It lives beside its file, so deleting the upload's directory takes it along, and its name starts with
/// <see cref="FilesystemDriver.HiddenPrefix"/>, which listings skip.
/// </remarks>
internal static class CommittedLength
{
    private const string Prefix = FilesystemDriver.HiddenPrefix + "length-";

    public static string RecordPath(string file) =>
        Path.Combine(Path.GetDirectoryName(file)!, Prefix + Path.GetFileName(file));

    /// <summary>The recorded length, or null when the file has no record (it is whole).</summary>
    public static long? Read(string file)
    {
        byte[] text;
        try
        {
            text = File.ReadAllBytes(RecordPath(file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return Utf8Parser.TryParse(text, out long length, out var consumed) && consumed == text.Length && length >= 0
            ? length
            : throw new InvalidDataException($"'{RecordPath(file)}' does not hold a length");
    }

    public static void Write(string file, long length) =>
        FilesystemDriver.ReplaceAtomically(RecordPath(file), System.Text.Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));

    public static void Delete(string file) => File.Delete(RecordPath(file));

    /// <summary>
    /// The committed length of <paramref name="file"/>, given a way to read its current length. The record is read
    /// before and after the length: a record absent throughout means nothing uncommitted was in the file (a writer
    /// records before it writes past the committed end), and a record unchanged throughout bounds what was read.
    /// When a commit lands in between, it is read again.
    /// </summary>
    public static long Of(string file, Func<long> currentLength)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = Read(file);
            var length = currentLength();
            var after = Read(file);
            if (before == after || attempt >= 16)
            {
                return after is { } recorded ? Math.Min(recorded, length) : length;
            }
        }
    }
}
