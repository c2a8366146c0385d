// Drives Faye's browser client (global Faye from faye-browser.js). Query parameters:
//   server   the Bayeux endpoint; it must be same-origin: Faye offers eventsource only where
//            its same-origin XHR transport is usable
//   disable  comma-separated connection types to disable, e.g. websocket
//   channel  the broadcast channel to subscribe and publish to
// The test reads and drives the client through window.parley.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var server = params.get('server');
  var channel = params.get('channel');
  var disabled = (params.get('disable') || '').split(',').filter(Boolean);

  var state = {
    status: 'starting',
    failure: null,
    transport: null,
    // Every non-meta message as it arrives, before Faye reduces it to its data.
    rawDeliveries: [],
    received: [],
    publishReplies: [],
    log: [],
  };

  function log(line) {
    state.log.push(line);
    var li = document.createElement('li');
    li.textContent = line;
    document.getElementById('log').append(li);
  }

  function show() {
    document.getElementById('status').textContent = state.failure ? state.status + ': ' + state.failure : state.status;
    document.getElementById('transport').textContent = state.transport || '–';
  }

  // The dispatcher owns the selected transport; each transport class carries its
  // registered name as connectionType.
  function currentTransport() {
    var dispatcher = client._dispatcher;
    return (dispatcher && dispatcher._transport && dispatcher._transport.connectionType) || null;
  }

  Faye.logger = {
    error: function (message) { log('faye error: ' + message); },
    warn: function (message) { log('faye warn: ' + message); },
  };

  var client = new Faye.Client(server, { timeout: 30 });
  disabled.forEach(function (type) { client.disable(type); });

  client.addExtension({
    incoming: function (message, callback) {
      if (message.channel.indexOf('/meta/') === 0) {
        if (message.successful === false) log('meta failure ' + JSON.stringify(message));
      } else if (message.data !== undefined) {
        state.rawDeliveries.push(message);
      }
      callback(message);
    },
  });
  client.on('transport:down', function () { log('transport down'); });
  client.on('transport:up', function () { log('transport up'); });

  state.status = 'subscribing';
  show();
  var subscription = client.subscribe(channel, function (data) {
    state.received.push(data);
    var li = document.createElement('li');
    li.textContent = JSON.stringify(data);
    document.getElementById('received').append(li);
  });
  subscription.then(function () {
    state.transport = currentTransport();
    state.status = 'subscribed';
    show();
  }, function (error) {
    state.status = 'failed';
    state.failure = 'subscribe: ' + JSON.stringify(error);
    log(state.failure);
    show();
  });

  window.parley = {
    state: state,
    transport: currentTransport,
    clientId: function () { return client._dispatcher.clientId; },
    publish: function (data) {
      client.publish(channel, data).then(
        function () { state.publishReplies.push({ successful: true }); },
        function (error) { state.publishReplies.push({ successful: false, error: error && error.message }); });
    },
    disconnect: function () { client.disconnect(); },
  };
})();
