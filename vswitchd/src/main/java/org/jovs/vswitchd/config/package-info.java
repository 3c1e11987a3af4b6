/**
 * Where the configuration comes from: the OVSDB database ({@link
 * org.jovs.vswitchd.config.DatabaseConfig}, with status written back and the ovs_vswitchd lock),
 * or a JSON file or the built-in default ({@link org.jovs.vswitchd.config.FileConfig}), both
 * producing the same {@link org.jovs.vswitchd.config.SwitchConfig} for the bridge layer. Also the
 * system statistics cycle of the Open_vSwitch table.
 */
package org.jovs.vswitchd.config;
