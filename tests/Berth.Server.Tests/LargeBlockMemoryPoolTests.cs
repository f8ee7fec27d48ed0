using System.Buffers;
using Berth.Server.Hosting;

namespace Berth.Server.Tests;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_hands_out_whole_64_KiB_blocks_whatever_the_size_asked()
    {
        using var pool = new LargeBlockMemoryPool();
        using var small = pool.Rent(1);
        using var any = pool.Rent();

        Assert.Equal(64 * 1024, small.Memory.Length);
        Assert.Equal(64 * 1024, any.Memory.Length);
        Assert.Equal(64 * 1024, pool.MaxBufferSize);
    }

    [Fact]
    public void A_returned_block_is_handed_out_again_instead_of_a_new_one()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        first.Dispose();

        using var second = pool.Rent();

        Assert.Same(first, second);
    }

    [Fact]
    public void After_a_burst_at_most_256_idle_blocks_are_kept()
    {
        using var pool = new LargeBlockMemoryPool();
        var burst = Enumerable.Range(0, 300).Select(_ => pool.Rent()).ToList();
        burst.ForEach(block => block.Dispose());

        var again = Enumerable.Range(0, 300).Select(_ => pool.Rent()).ToList();

        Assert.Equal(256, again.Count(block => burst.Contains(block)));
        again.ForEach(block => block.Dispose());
    }

    [Fact]
    public void Trimming_on_quiet_lets_every_idle_block_go_and_keeps_pooling_afterwards()
    {
        var factory = new LargeBlockMemoryPoolFactory();
        using var pool = factory.Create();
        var idle = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        var busy = pool.Rent();
        idle.ForEach(block => block.Dispose());

        factory.TrimIdle();
        var after = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();

        Assert.DoesNotContain(after, block => idle.Contains(block));
        // A block in use during the trim is pooled again when its connection returns it.
        busy.Dispose();
        using var reused = pool.Rent();
        Assert.Same(busy, reused);
        after.ForEach(block => block.Dispose());
    }

    [Fact]
    public void Rent_larger_than_a_block_throws()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(64 * 1024 + 1));
    }
}
