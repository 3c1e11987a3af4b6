package org.jovs.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jovs.core.natives.Native;

/**
 * Generic netlink family resolution through nlctrl (CTRL_CMD_GETFAMILY), with a cache, like OVS's
 * nl_lookup_genl_family(). Families found are cached for the life of this object (a family's id is
 * fixed while its module stays loaded); absent ones are asked again next time, so a module loaded
 * later is found.
 *
 * <p>Runs its requests on the {@link NlExecutor} it is given (NETLINK_GENERIC), so it blocks as
 * long as that executor does.
 */
public final class GenlFamilies {
    /** Family names are at most 15 bytes plus the NUL. */
    private static final int GENL_NAMSIZ = 16;

    private final NlExecutor genl;
    private final Map<String, GenlFamily> cache = new ConcurrentHashMap<>();

    public GenlFamilies(NlExecutor genl) {
        if (genl.protocol() != Netlink.NETLINK_GENERIC) {
            throw new IllegalArgumentException("GenlFamilies needs a NETLINK_GENERIC executor");
        }
        this.genl = genl;
    }

    /**
     * The family called 'name', or empty if the kernel has no such family (nlctrl answers
     * ENOENT), which is what a kernel without the openvswitch module says for "ovs_datapath".
     * Other failures raise.
     */
    public Optional<GenlFamily> lookup(String name) throws IOException {
        GenlFamily cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length >= GENL_NAMSIZ) {
            // nlctrl would reject the request (EINVAL); no family can have such a name.
            return Optional.empty();
        }
        Optional<GenlFamily> family = lookupResult(genl.transactAll(List.of(lookupRequest(name))).get(0));
        family.ifPresent(f -> cache.put(name, f));
        return family;
    }

    /**
     * The nlctrl request that {@link #lookup} sends for 'name', for callers that run it elsewhere
     * (through {@link NlWorkerExecutor}) and decode the reply with {@link #lookupResult}.
     */
    public static NlMsgBuilder lookupRequest(String name) {
        return NlMsgBuilder.genl(Netlink.GENL_ID_CTRL, 0, GenlFamily.CTRL_CMD_GETFAMILY, 1)
                .putString(GenlFamily.CTRL_ATTR_FAMILY_NAME, name);
    }

    /**
     * The family in the reply to {@link #lookupRequest}, or empty if nlctrl answered ENOENT; other
     * kernel errors raise.
     */
    public static Optional<GenlFamily> lookupResult(NlReply reply) throws NlException {
        if (reply.errno() == Native.ENOENT) {
            return Optional.empty();
        }
        List<NlMsg> msgs = reply.check();
        if (msgs.size() != 1) {
            throw new NlParseException("nlctrl sent " + msgs.size() + " replies to GETFAMILY");
        }
        return Optional.of(GenlFamily.parse(msgs.get(0)));
    }

    /** The nlctrl request that {@link #dump()} sends, for running it elsewhere. */
    public static NlMsgBuilder dumpRequest() {
        return NlMsgBuilder.genl(Netlink.GENL_ID_CTRL, 0, GenlFamily.CTRL_CMD_GETFAMILY, 1);
    }

    /** Every family the kernel knows (CTRL_CMD_GETFAMILY dump), in the kernel's order; refreshes the cache. */
    public List<GenlFamily> dump() throws IOException {
        List<GenlFamily> all = new ArrayList<>();
        for (NlMsg m : genl.dump(dumpRequest())) {
            GenlFamily f = GenlFamily.parse(m);
            cache.put(f.name(), f);
            all.add(f);
        }
        return all;
    }
}
