namespace Berth.Core.Events;

/// <summary>
/// The request the current code runs on behalf of, read when an event is published so events carry who caused them
/// without the write path knowing about HTTP. The server implements it from the current HttpContext.
/// </summary>
public interface IRequestContextAccessor
{
    /// <summary>The current request's origin, or null outside a request (background work, tools).</summary>
    EventOrigin? Current { get; }
}
