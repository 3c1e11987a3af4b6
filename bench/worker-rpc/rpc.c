/* C reference for the worker RPC benchmark: the same exchange as lib-worker, between two processes
 * (fork) over an AF_UNIX stream socketpair, with the same 24-byte header.
 *
 *   rpc rtt N        N round trips of a 64-byte request with a 64-byte reply.  The main side
 *                    writes the request, then waits in poll() and reads, as a main loop would.
 *                    Prints "rtt_us median p99".
 *   rpc tput N       N fire-and-forget 100-byte requests, one write() each (as OVS's
 *                    worker_request() did), then one request with a reply to learn when the worker
 *                    has consumed everything.  Prints "tput msgs_per_s payload_MB_per_s".
 *   rpc tput-batch N the same, but the main side coalesces requests into 64 KiB writes.
 *
 * The worker reads 256 KiB at a time and parses every complete message in the buffer. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct header {
    uint16_t magic;
    uint8_t type;
    uint8_t n_fds;
    uint32_t length;
    uint32_t handler;
    uint32_t flags;
    uint64_t cookie;
};

#define REQUEST 1
#define REPLY 2
#define FLAG_REPLY 1
#define RXBUF (256 * 1024)

static void
die(const char *what)
{
    perror(what);
    exit(1);
}

static void
write_fully(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("write");
        }
        c += w;
        n -= w;
    }
}

static void
worker(int fd)
{
    static char buf[RXBUF];
    static char reply[sizeof(struct header) + 65536];
    size_t start = 0, end = 0;

    for (;;) {
        ssize_t n = read(fd, buf + end, sizeof buf - end);
        if (n == 0) {
            exit(0);
        } else if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("worker read");
        }
        end += n;
        while (end - start >= sizeof(struct header)) {
            struct header h;
            memcpy(&h, buf + start, sizeof h);
            size_t total = sizeof h + h.length;
            if (end - start < total) {
                break;
            }
            if (h.flags & FLAG_REPLY) {
                struct header r = { 0x574b, REPLY, 0, h.length, h.handler, 0, h.cookie };
                memcpy(reply, &r, sizeof r);
                memcpy(reply + sizeof r, buf + start + sizeof h, h.length);
                write_fully(fd, reply, sizeof r + h.length);
            }
            start += total;
        }
        memmove(buf, buf + start, end - start);
        end -= start;
        start = 0;
    }
}

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void
read_fully(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        struct pollfd pfd = { fd, POLLIN, 0 };
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            die("poll");
        }
        ssize_t r = read(fd, c, n);
        if (r <= 0) {
            if (r < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            die("main read");
        }
        c += r;
        n -= r;
    }
}

static uint64_t
round_trip(int fd, uint64_t cookie, size_t len)
{
    char msg[sizeof(struct header) + 64];
    char in[sizeof(struct header) + 64];
    struct header h = { 0x574b, REQUEST, 0, len, 1005, FLAG_REPLY, cookie };
    uint64_t t0 = now_ns();
    memcpy(msg, &h, sizeof h);
    memset(msg + sizeof h, 'x', len);
    write_fully(fd, msg, sizeof h + len);
    read_fully(fd, in, sizeof h + len);
    return now_ns() - t0;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s rtt|tput|tput-batch N\n", argv[0]);
        return 1;
    }
    long n = atol(argv[2]);
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
        die("socketpair");
    }
    pid_t pid = fork();
    if (pid < 0) {
        die("fork");
    } else if (pid == 0) {
        close(fds[0]);
        worker(fds[1]);
    }
    close(fds[1]);
    int fd = fds[0];

    if (!strcmp(argv[1], "rtt")) {
        uint64_t *t = malloc(n * sizeof *t);
        for (long i = 0; i < n / 5; i++) {
            round_trip(fd, i, 64);          /* warm-up */
        }
        for (long i = 0; i < n; i++) {
            t[i] = round_trip(fd, i, 64);
        }
        qsort(t, n, sizeof *t, cmp_u64);
        printf("rtt_us %.2f %.2f\n", t[n / 2] / 1e3, t[n * 99 / 100] / 1e3);
    } else {
        int batch = !strcmp(argv[1], "tput-batch");
        static char out[64 * 1024 + 256];
        size_t used = 0;
        struct header h = { 0x574b, REQUEST, 0, 100, 1006, 0, 0 };
        uint64_t t0 = now_ns();
        for (long i = 0; i < n; i++) {
            h.cookie = i;
            memcpy(out + used, &h, sizeof h);
            memset(out + used + sizeof h, 'y', 100);
            used += sizeof h + 100;
            if (!batch || used > 64 * 1024) {
                write_fully(fd, out, used);
                used = 0;
            }
        }
        write_fully(fd, out, used);
        round_trip(fd, n, 0);
        double s = (now_ns() - t0) / 1e9;
        printf("tput %.0f %.1f\n", n / s, n * 100 / s / 1e6);
    }
    close(fd);
    waitpid(pid, NULL, 0);
    return 0;
}
