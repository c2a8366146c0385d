using Parley.Bench.Reporting;

namespace Parley.Bench.Scenarios;

/// <summary>One scenario in one generator process: set up (sessions, users), then the measured run.</summary>
internal interface IScenarioRunner : IAsyncDisposable
{
    /// <summary>Opens the sessions; the server's memory is sampled after it.</summary>
    Task SetupAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Load like the measured window's, before it and not measured (<c>--warmup</c> seconds): a
    /// fresh server runs unoptimised code for its first seconds under load (tiered JIT), and the
    /// figures are meant to describe the server in its steady state.
    /// </summary>
    Task WarmUpAsync(double seconds, CancellationToken cancellationToken);

    /// <summary>The measured window; the server's CPU is sampled around it.</summary>
    Task<ProcessReport> RunAsync(CancellationToken cancellationToken);
}
