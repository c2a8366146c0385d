namespace Parley.Bench;

internal static class Usage
{
    public const string Text = """
        Parley.Bench — load generator for Bayeux (CometD protocol) servers

          dotnet run -c Release --project bench/Parley.Bench -- SCENARIO [options]

        Scenarios
          fanout          chat rooms on open channels /bench/room/N (CometD's benchmark)
          connections     ramp idle sessions (handshake, subscribe, held connects) to --target
          chat            Parley IM users: REST register + friends, /service/im/send, sync-checked
          presence-badge  HTTP load on GET /api/presence?users=… and /api/presence/{user}.svg

        Common options
          --url U               Bayeux endpoint (default http://127.0.0.1:5080/cometd); REST is at its origin.
                                A comma-separated list (a cluster's nodes): client g uses URL g mod n;
                                REST goes to the first (presence-badge takes one URL)
          --transport T         websocket | long-polling (default websocket)
          --duration S          measured seconds (default 30)
          --warmup S            unmeasured load before the window, so the server's JIT has tiered up
                                (default 10; 0 with --smoke; find-limit warms up before its first step)
          --local-addrs K       spread client sockets over 127.0.0.1…127.0.0.K (default 1)
          --processes P         fork P child generator processes and merge their results
          --server-pid N[,N…]   sample the server's RSS and CPU from /proc/N; several pids are reported
                                one by one and in total (pid i serves URL i: memory per session per node)
          --other-pids name=N,… also report the CPU of these processes and of their children
                                (redis=12,nginx=34,postgres=56: nginx's workers, PostgreSQL's backends)
          --json FILE           write the machine-readable result
          --smoke               a ~10 s small run; exit code 1 on any loss, duplicate or error
          --find-limit          step the load until p99 > --p99-bound ms (default 250) or anything
                                is lost; --step-factor F (default 1.5) or --step N, --max-steps (default 8)
          --setup-concurrency N sessions opened at once (default 100)

        fanout          --clients 1000 --rooms 10 --rooms-per-client 1 --rate 1000 (messages/s)
                        --batch-size 1 --message-size 64 --drain 10
                        [--publish-on all|first: with several URLs, only the first URL's clients
                         publish; deliveries are split same-node / cross-node]
        connections     --target 1000 --rooms 10 --hold 10 [--ramp-rate N sessions/s] [--settle 3]
        chat            --users 200 --rate 1000 --message-size 64
                        (start the server with --Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1
                         --Bayeux:PublishRatePerSecond=0 for speed)
        presence-badge  --users 100 --batch 5 --concurrency 32 [--rate N requests/s, 0 = closed loop]
        """;
}
