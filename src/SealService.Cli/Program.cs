Console.Error.WriteLine("sealctl: no commands yet");
return 2;
