/**
 * OVS's NORMAL action: MAC learning ({@link org.jovs.vswitchd.normal.MacLearningTable}) and the
 * L2 switching with VLANs that uses it ({@link org.jovs.vswitchd.normal.NormalSwitch}). Pure logic
 * on the main thread; frames go out through a {@link org.jovs.vswitchd.flow.FrameSender}.
 */
package org.jovs.vswitchd.normal;
