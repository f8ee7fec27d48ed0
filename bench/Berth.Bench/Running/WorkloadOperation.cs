namespace Berth.Bench.Running;

/// <summary>One timed request (or request sequence) of a workload; returns the payload bytes it moved.</summary>
internal delegate Task<long> WorkloadOperation(int index, CancellationToken cancellationToken);
