"""The department tree (组织架构), department groups and the directory (通讯录).

Above `groups` in the layers: a department group's membership follows the tree through
the groups service, so events, joined_seq and unsubscribes are those of manual changes."""
