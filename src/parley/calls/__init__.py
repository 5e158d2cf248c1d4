"""1:1 voice and video calls: signalling over the socket, TURN credentials, call records."""
