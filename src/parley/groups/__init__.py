"""Creating and managing conversations: direct chats, groups, members and roles.

Every change is also an entry in the conversation log (a system event with a seq), so
clients that were offline see the same history as those that were online."""
