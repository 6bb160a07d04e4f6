namespace QualityScan.Pipeline.Tests.IO;

/// <summary>
/// Runs work that must not open a FIFO (opening one for reading waits for a writer for ever), with a time limit, so
/// that a regression fails the test instead of hanging CI.
/// </summary>
internal static class NotBlocking
{
    /// <summary>Far above what the work takes; only a blocked open reaches it.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>The result of <paramref name="work"/>; a failed test when it has not ended within <see cref="Limit"/>.</summary>
    /// <param name="work">The work.</param>
    /// <param name="fifos">The FIFOs it must not open; written to on a timeout, so that a blocked reader is let go.</param>
    public static Task<T> Within<T>(Func<T> work, params string[] fifos) => Within(() => Task.FromResult(work()), fifos);

    /// <inheritdoc cref="Within{T}(Func{T}, string[])"/>
    public static async Task<T> Within<T>(Func<Task<T>> work, params string[] fifos)
    {
        var task = Task.Run(work);
        if (await Task.WhenAny(task, Task.Delay(Limit)) != task)
        {
            foreach (var fifo in fifos)
            {
                // The blocked reader and this writer meet; the writer's own wait is bounded by the reader being there.
                _ = Task.Run(() => File.WriteAllBytes(fifo, []));
            }

            Assert.Fail($"not finished after {Limit.TotalSeconds:0} s: something opened a FIFO ({string.Join(", ", fifos)}) and waits for a writer");
        }

        return await task;
    }
}
