/* C reference for bench/netlink: the same netlink exchanges as lib-netlink's NetlinkBench, written
 * the way a careful C program would (one socket, one reusable buffer, no allocation per request).
 *
 *   nlbench rtt N    N nlctrl CTRL_CMD_GETFAMILY("nlctrl") transactions with NLM_F_ACK, each
 *                    sent and then received until its ACK, the whole family parsed out of the reply
 *                    (id, version, header size, max attribute, operations, multicast groups).
 *                    Prints "rtt_us median p99".
 *   nlbench dump N   N RTM_GETLINK dumps of the calling namespace, each received to NLMSG_DONE with
 *                    every link parsed into what lib-netlink's RtLink holds (ifindex, flags, name,
 *                    MTU, MAC as text, kind, operstate, carrier, master, link).
 *                    Prints "dump links dumps_per_s" (dumps/s from the median dump time).
 *
 * Both warm up first (1,000 transactions; 20 dumps). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

static char rxbuf[128 * 1024];
static uint32_t seq_no = 1;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int open_socket(int protocol)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    int rcvbuf = 4 * 1024 * 1024;
    if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0) {
        perror("netlink socket");
        exit(1);
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    return fd;
}

static void xsend(int fd, const void *msg, size_t len)
{
    if (send(fd, msg, len, 0) != (ssize_t) len) {
        perror("send");
        exit(1);
    }
}

static ssize_t xrecv(int fd)
{
    ssize_t n;
    do {
        n = recv(fd, rxbuf, sizeof rxbuf, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        perror("recv");
        exit(1);
    }
    return n;
}

struct family {
    int id;
    unsigned version, hdrsize, maxattr;
    int n_ops;
    struct { unsigned id, flags; } ops[64];
    int n_groups;
    struct { char name[32]; unsigned id; } groups[16];
};

static int attr_ok(const struct nlattr *a, int left)
{
    return left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left;
}

static struct nlattr *attr_next(const struct nlattr *a, int *left)
{
    *left -= NLA_ALIGN(a->nla_len);
    return (struct nlattr *) ((char *) a + NLA_ALIGN(a->nla_len));
}

/* Iterates 'a' over the attributes in 'len' bytes at 'head'; 'left' names the byte count. */
#define ATTR_FOR_EACH(a, left, head, len)                 \
    for (int left = (len); left >= 0; left = -1)          \
        for (struct nlattr *a = (struct nlattr *) (head); \
             attr_ok(a, left); a = attr_next(a, &left))
#define ATTR_DATA(x) ((char *) (x) + NLA_HDRLEN)
#define ATTR_LEN(x) ((x)->nla_len - NLA_HDRLEN)

static void parse_family(struct nlmsghdr *h, struct family *f)
{
    memset(f, 0, sizeof *f);
    ATTR_FOR_EACH(a, left, (char *) NLMSG_DATA(h) + GENL_HDRLEN, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
        switch (a->nla_type & NLA_TYPE_MASK) {
        case CTRL_ATTR_FAMILY_ID:
            f->id = *(uint16_t *) ATTR_DATA(a);
            break;
        case CTRL_ATTR_VERSION:
            f->version = *(uint32_t *) ATTR_DATA(a);
            break;
        case CTRL_ATTR_HDRSIZE:
            f->hdrsize = *(uint32_t *) ATTR_DATA(a);
            break;
        case CTRL_ATTR_MAXATTR:
            f->maxattr = *(uint32_t *) ATTR_DATA(a);
            break;
        case CTRL_ATTR_OPS:
            ATTR_FOR_EACH(op, left2, ATTR_DATA(a), ATTR_LEN(a)) {
                if (f->n_ops < 64) {
                    ATTR_FOR_EACH(o, left3, ATTR_DATA(op), ATTR_LEN(op)) {
                        if (o->nla_type == CTRL_ATTR_OP_ID) {
                            f->ops[f->n_ops].id = *(uint32_t *) ATTR_DATA(o);
                        } else if (o->nla_type == CTRL_ATTR_OP_FLAGS) {
                            f->ops[f->n_ops].flags = *(uint32_t *) ATTR_DATA(o);
                        }
                    }
                    f->n_ops++;
                }
            }
            break;
        case CTRL_ATTR_MCAST_GROUPS:
            ATTR_FOR_EACH(g, left2, ATTR_DATA(a), ATTR_LEN(a)) {
                if (f->n_groups < 16) {
                    ATTR_FOR_EACH(o, left3, ATTR_DATA(g), ATTR_LEN(g)) {
                        if (o->nla_type == CTRL_ATTR_MCAST_GRP_NAME) {
                            snprintf(f->groups[f->n_groups].name, 32, "%s", ATTR_DATA(o));
                        } else if (o->nla_type == CTRL_ATTR_MCAST_GRP_ID) {
                            f->groups[f->n_groups].id = *(uint32_t *) ATTR_DATA(o);
                        }
                    }
                    f->n_groups++;
                }
            }
            break;
        }
    }
}

/* One GETFAMILY transaction for 'name', parsed into 'f'. */
static void getfamily(int fd, const char *name, struct family *f)
{
    struct {
        struct nlmsghdr n;
        struct genlmsghdr g;
        char attrs[64];
    } req;
    struct nlattr *a = (struct nlattr *) req.attrs;
    size_t nlen = strlen(name) + 1;
    uint32_t seq = seq_no++;

    memset(&req, 0, sizeof req);
    a->nla_type = CTRL_ATTR_FAMILY_NAME;
    a->nla_len = NLA_HDRLEN + nlen;
    memcpy((char *) a + NLA_HDRLEN, name, nlen);
    req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
    req.n.nlmsg_type = GENL_ID_CTRL;
    req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    req.n.nlmsg_seq = seq;
    req.g.cmd = CTRL_CMD_GETFAMILY;
    req.g.version = 1;
    xsend(fd, &req, req.n.nlmsg_len);

    for (;;) {
        ssize_t n = xrecv(fd);
        for (struct nlmsghdr *h = (struct nlmsghdr *) rxbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq) {
                continue;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                int err = ((struct nlmsgerr *) NLMSG_DATA(h))->error;
                if (err) {
                    fprintf(stderr, "GETFAMILY: %s\n", strerror(-err));
                    exit(1);
                }
                return;
            }
            parse_family(h, f);
        }
    }
}

/* What lib-netlink's RtLink holds for a link. */
struct link {
    int ifindex;
    unsigned flags;
    unsigned mtu;
    char name[16];
    char address[3 * 32];   /* "aa:bb:cc:dd:ee:ff", as ip(8) prints it */
    char kind[16];
    int operstate;
    int carrier;
    unsigned master;
    unsigned link;
};

static void format_address(const unsigned char *b, int n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < n && i < 32; i++) {
        if (i) {
            *p++ = ':';
        }
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0xf];
    }
    *p = '\0';
}

static void parse_link(struct nlmsghdr *h, struct link *l)
{
    struct ifinfomsg *ifi = NLMSG_DATA(h);
    int left = h->nlmsg_len - NLMSG_LENGTH(sizeof *ifi);
    memset(l, 0, sizeof *l);
    l->ifindex = ifi->ifi_index;
    l->flags = ifi->ifi_flags;
    l->operstate = -1;
    l->carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
    for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
        switch (a->rta_type) {
        case IFLA_IFNAME:
            snprintf(l->name, sizeof l->name, "%s", (char *) RTA_DATA(a));
            break;
        case IFLA_MTU:
            l->mtu = *(unsigned *) RTA_DATA(a);
            break;
        case IFLA_ADDRESS:
            format_address(RTA_DATA(a), RTA_PAYLOAD(a), l->address);
            break;
        case IFLA_OPERSTATE:
            l->operstate = *(unsigned char *) RTA_DATA(a);
            break;
        case IFLA_CARRIER:
            l->carrier = *(unsigned char *) RTA_DATA(a) != 0;
            break;
        case IFLA_MASTER:
            l->master = *(unsigned *) RTA_DATA(a);
            break;
        case IFLA_LINK:
            l->link = *(unsigned *) RTA_DATA(a);
            break;
        case IFLA_LINKINFO: {
            int ileft = RTA_PAYLOAD(a);
            for (struct rtattr *b = RTA_DATA(a); RTA_OK(b, ileft); b = RTA_NEXT(b, ileft)) {
                if (b->rta_type == IFLA_INFO_KIND) {
                    snprintf(l->kind, sizeof l->kind, "%s", (char *) RTA_DATA(b));
                }
            }
            break;
        }
        }
    }
}

/* One link dump; returns the number of links. */
static int dump_links(int fd, struct link *links, int max)
{
    struct {
        struct nlmsghdr n;
        struct ifinfomsg i;
    } req;
    uint32_t seq = seq_no++;
    int count = 0;

    memset(&req, 0, sizeof req);
    req.n.nlmsg_len = sizeof req;
    req.n.nlmsg_type = RTM_GETLINK;
    req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.n.nlmsg_seq = seq;
    req.i.ifi_family = AF_UNSPEC;
    xsend(fd, &req, sizeof req);

    for (;;) {
        ssize_t n = xrecv(fd);
        for (struct nlmsghdr *h = (struct nlmsghdr *) rxbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq) {
                continue;
            }
            if (h->nlmsg_type == NLMSG_DONE) {
                return count;
            } else if (h->nlmsg_type == NLMSG_ERROR) {
                fprintf(stderr, "dump: %s\n", strerror(-((struct nlmsgerr *) NLMSG_DATA(h))->error));
                exit(1);
            } else if (h->nlmsg_type == RTM_NEWLINK && count < max) {
                parse_link(h, &links[count++]);
            }
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s rtt|dump N\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[2]);
    double *t = calloc(n, sizeof *t);

    if (!strcmp(argv[1], "rtt")) {
        int fd = open_socket(NETLINK_GENERIC);
        struct family f;
        for (int i = 0; i < 1000; i++) {
            getfamily(fd, "nlctrl", &f);
        }
        for (int i = 0; i < n; i++) {
            double t0 = now_ns();
            getfamily(fd, "nlctrl", &f);
            t[i] = now_ns() - t0;
            if (f.id != GENL_ID_CTRL || f.n_groups != 1) {
                fprintf(stderr, "wrong family %d with %d groups\n", f.id, f.n_groups);
                return 1;
            }
        }
        qsort(t, n, sizeof *t, cmp_double);
        printf("rtt_us %.2f %.2f\n", t[n / 2] / 1e3, t[n * 99 / 100] / 1e3);
    } else if (!strcmp(argv[1], "dump")) {
        int fd = open_socket(NETLINK_ROUTE);
        static struct link links[65536];
        int count = 0;
        for (int i = 0; i < 20; i++) {
            dump_links(fd, links, 65536);
        }
        for (int i = 0; i < n; i++) {
            double t0 = now_ns();
            count = dump_links(fd, links, 65536);
            t[i] = now_ns() - t0;
        }
        qsort(t, n, sizeof *t, cmp_double);
        printf("dump %d %.1f\n", count, 1e9 / t[n / 2]);
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    return 0;
}
