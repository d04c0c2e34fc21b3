// Only the C surface of libzmq; Swift code imports this module, never <zmq.h> directly.
#include <zmq.h>
